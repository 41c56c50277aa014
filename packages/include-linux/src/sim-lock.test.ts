import { describe, it, expect } from "vitest";
import { createSimLock } from "./sim-lock.js";

describe("createSimLock", () => {
  it("an uncontended acquisition does not wait", () => {
    const l = createSimLock("m", "mutex");
    expect(l.acquire(100, 50, false)).toBe(0);
    expect(l.acquire(150, 50, false)).toBe(0);
    expect(l.stats).toEqual({ acquisitions: 2, contended: 0, waitNs: 0 });
  });

  it("an overlapping exclusive request waits for the recorded hold, whichever CPU was simulated first", () => {
    const l = createSimLock("m", "mutex");
    // CPU 0 (simulated first) holds [1000, 1500); CPU 1 asks at 1200 and at 800 (earlier in time).
    expect(l.acquire(1000, 500, false)).toBe(0);
    expect(l.acquire(1200, 100, false)).toBe(300);
    // [800, 1000) is free but 300 ns does not fit before 1000, and [1000,1600) is taken.
    expect(l.acquire(800, 300, false)).toBe(800);
    // A short hold that fits in the gap before the first hold goes there.
    expect(l.acquire(900, 100, false)).toBe(0);
    expect(l.stats.acquisitions).toBe(4);
    expect(l.stats.contended).toBe(2);
    expect(l.stats.waitNs).toBe(1100);
  });

  it("spinlocks and mutexes ignore the shared flag", () => {
    for (const kind of ["spinlock", "mutex"] as const) {
      const l = createSimLock("x", kind);
      l.acquire(0, 100, true);
      expect(l.acquire(50, 100, true)).toBe(50);
    }
  });

  it("readers of an rwsem share it", () => {
    const l = createSimLock("rw", "rwsem");
    expect(l.acquire(0, 100, true)).toBe(0);
    expect(l.acquire(10, 100, true)).toBe(0);
    expect(l.acquire(50, 100, true)).toBe(0);
    expect(l.stats.contended).toBe(0);
  });

  it("a writer excludes readers and readers exclude a writer", () => {
    const l = createSimLock("rw", "rwsem");
    expect(l.acquire(0, 100, true)).toBe(0); // reader [0,100)
    expect(l.acquire(50, 100, true)).toBe(0); // reader [50,150)
    expect(l.acquire(20, 10, false)).toBe(130); // writer waits for both readers: [150,160)
    expect(l.acquire(155, 10, true)).toBe(5); // reader waits for the writer: [160,170)
    expect(l.acquire(140, 10, true)).toBe(0); // reader at [140,150) fits beside the other readers
  });

  it("the kind can change at run time (mutex converted to rwsem)", () => {
    const l = createSimLock("av", "mutex");
    l.acquire(0, 100, true);
    expect(l.acquire(0, 100, true)).toBe(100);
    l.kind = "rwsem";
    l.acquire(1000, 100, true);
    expect(l.acquire(1000, 100, true)).toBe(0);
  });

  it("expire forgets holds that ended, and keeps those still running", () => {
    const l = createSimLock("m", "spinlock");
    l.acquire(0, 100, false);
    l.acquire(200, 100, false);
    l.acquire(400, 100, false);
    l.expire(250);
    // The hold [0,100) is gone: nothing left before 200, [200,300) still there.
    expect(l.acquire(0, 150, false)).toBe(0);
    expect(l.acquire(250, 10, false)).toBe(50);
    l.expire(10_000);
    expect(l.acquire(400, 10, false)).toBe(0);
  });

  it("stays fast with many holds", () => {
    const l = createSimLock("m", "mutex");
    let total = 0;
    for (let i = 0; i < 50_000; i++) total += l.acquire(i * 10, 5, false);
    expect(total).toBe(0);
    // 50k requests all at 0 queue up behind each other.
    const l2 = createSimLock("m2", "mutex");
    let last = 0;
    for (let i = 0; i < 20_000; i++) last = l2.acquire(0, 5, false);
    expect(last).toBe(19_999 * 5);
  });
});
