import { describe, expect, it } from "vitest";
import { Rng, type UserApi } from "@balancenuma/include-linux";
import { TOUCH_BATCH, chunkedWalk, hotSetPages, lfsr32, randomPages, type ScriptStep } from "./program.js";

/**
 * A user API that only records page touches: each run slice allows `perSlice` touches, and
 * `touchList` keeps the addresses (as offsets from `base`) of the first `keep` touches.
 */
function recorder(perSlice: number, keep = Infinity) {
  let left = 0;
  const seen: number[] = [];
  let total = 0;
  const api = {
    budgetLeft: () => left,
    touchList(addrs: Float64Array, from: number, to: number) {
      const n = Math.min(to - from, left);
      for (let i = from; i < from + n; i++) if (seen.length < keep) seen.push(addrs[i] - BASE);
      left -= n;
      total += n;
      return n;
    },
  } as unknown as UserApi;
  /** Run the step slice by slice until it finishes (or `slices` run out). */
  const run = (step: ScriptStep, slices = Infinity) => {
    for (let s = 0; s < slices; s++) {
      left = perSlice;
      if (step(api) === "next") return true;
    }
    return false;
  };
  return { run, seen, touches: () => total };
}

const BASE = 0x7f0000000000;
const MiB = 1024 * 1024;

describe("generated access patterns", () => {
  it("a pass of a billion random touches runs in constant host memory", () => {
    // Before, a pass was preallocated: 8 host bytes per touch, 8 GB for this pass.
    const r = recorder(10_000);
    const heap0 = process.memoryUsage().arrayBuffers;
    const done = r.run(
      randomPages(() => BASE, 64 * MiB, new Rng(1), 1e9, { loops: 1 }),
      50,
    );
    expect(done).toBe(false);
    expect(r.touches()).toBe(500_000);
    expect(process.memoryUsage().arrayBuffers - heap0).toBeLessThan(1 * MiB);
  });

  it.each([
    ["random", () => randomPages(() => BASE, 16 * MiB, new Rng(7), 1000, { loops: 3 })],
    ["hot-set", () => hotSetPages(() => BASE, 16 * MiB, new Rng(7), 1000, 0.1, 0.9, { loops: 3 })],
    [
      "chunked-walk",
      () =>
        chunkedWalk(
          () => BASE,
          16 * MiB,
          (pass) => pass + 1,
          { loops: 3 },
        ),
    ],
  ])("%s: the same touches however the time slices cut the passes", (_name, make) => {
    const whole = recorder(1e9);
    expect(whole.run(make())).toBe(true);
    expect(whole.seen.length).toBeGreaterThan(3 * TOUCH_BATCH);
    for (const perSlice of [1, 7, TOUCH_BATCH, TOUCH_BATCH + 1]) {
      const sliced = recorder(perSlice);
      expect(sliced.run(make())).toBe(true);
      expect(sliced.seen).toEqual(whole.seen);
    }
  });

  it("random touches stay in the range and are page aligned; the same seed gives the same touches", () => {
    const a = recorder(1e9);
    a.run(randomPages(() => BASE, 1 * MiB, new Rng(3), 5000, { loops: 1 }));
    expect(a.seen.every((o) => o >= 0 && o < MiB && o % 4096 === 0)).toBe(true);
    expect(new Set(a.seen).size).toBe(256);
    const b = recorder(1e9);
    b.run(randomPages(() => BASE, 1 * MiB, new Rng(3), 5000, { loops: 1 }));
    expect(b.seen).toEqual(a.seen);
  });

  it("hot-set sends hotProbability of the touches to the first hotFraction of the range", () => {
    const r = recorder(1e9);
    r.run(hotSetPages(() => BASE, 40 * MiB, new Rng(5), 20_000, 0.1, 0.9, { loops: 1 }));
    const hot = r.seen.filter((o) => o < 4 * MiB).length / r.seen.length;
    expect(hot).toBeGreaterThan(0.88);
    expect(hot).toBeLessThan(0.92);
  });

  it("chunked-walk touches each 8 KiB chunk at perf's LFSR positions as two pages", () => {
    const r = recorder(1e9);
    const bytes = 1 * MiB;
    r.run(
      chunkedWalk(
        () => BASE,
        bytes,
        () => 42,
        { loops: 1 },
      ),
    );
    const words = bytes / 8;
    let lfsr = 42;
    const want: number[] = [];
    for (let c = 0; c < words / 1024; c++) {
      lfsr = lfsr32(lfsr);
      const start = lfsr % words;
      const end = Math.min(start + 1024, words - 1);
      if (end <= start) continue;
      const first = Math.floor((start * 8) / 4096);
      const last = Math.floor((end * 8 - 1) / 4096);
      const units = Math.max(1, Math.round(((end - start) * 8) / 4096));
      for (let p = 0; p < units; p++) want.push(Math.min(first + p, last) * 4096);
    }
    expect(r.seen).toEqual(want);
  });
});
