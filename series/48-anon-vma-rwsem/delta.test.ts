/**
 * Step 48 "mm/rmap: Convert the struct anon_vma::mutex to an rwsem": the anon_vma lock becomes an
 * rw_semaphore, still always taken for write (the read side comes with step 49). Two rmap walks
 * of pages under one anon_vma still exclude each other; what changes is how a waiter waits: the
 * mutex spun while its owner ran (system time), the rwsem waiter sleeps (elapsed time and a
 * context switch, not spinning).
 */
import { describe, it, expect } from "vitest";
import { concurrentMovePages } from "../testing.js";

describe("step 48: the anon_vma lock is an rwsem, still exclusive", () => {
  it("concurrent migrations under one anon_vma still wait for each other, now sleeping instead of spinning", () => {
    const before = concurrentMovePages(47, { thp: false, pagesPerThread: 32, toNode: 1 });
    const after = concurrentMovePages(48, { thp: false, pagesPerThread: 32, toNode: 1 });
    expect(before.kind).toBe("mutex");
    expect(after.kind).toBe("rwsem");
    // Still exclusive: the walkers of different CPUs collide in both kernels.
    expect(before.contended).toBeGreaterThan(0);
    expect(after.contended).toBeGreaterThan(0);
    expect(after.waitNs).toBeGreaterThan(0);
    // A mutex waiter spins: all its elapsed time is system time. An rwsem waiter sleeps.
    for (const t of before.threads) expect(t.elapsed).toBeCloseTo(t.stime, 3);
    const slept = after.threads.map((t) => t.elapsed - t.stime);
    expect(Math.max(...slept)).toBeGreaterThan(1);
    // The first thread never waited and did the same work.
    expect(after.threads[0]).toEqual(before.threads[0]);
  });
});
