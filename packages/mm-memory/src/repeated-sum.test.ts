import { describe, expect, it } from "vitest";
import { Rng } from "@balancenuma/include-linux";
import { addRepeated, advanceWithinBudget, RUN_BUDGET, RUN_CLOCK, RUN_COST, RUN_START } from "./repeated-sum.js";

/** The per-touch loop's arithmetic, one step at a time. */
function naive(x: number, c: number, n: number, start = 0, budget = Infinity): { x: number; steps: number } {
  let steps = 0;
  while (steps < n && x - start < budget) {
    x += c;
    steps++;
  }
  return { x, steps };
}

/** Cases the proof has to cover: costs with long mantissas, exact binary costs, ties, x = 0, binade edges. */
function cases(): [number, number, number][] {
  const rng = new Rng(7);
  const out: [number, number, number][] = [];
  for (let i = 0; i < 3000; i++) {
    const x = [0, rng.float() * 1e3, rng.float() * 3e10, 2 ** 34 - rng.below(5000) * 0.001, 2 ** (1 + rng.below(40))][i % 5];
    const c = [
      4096 / (6.717 * (1 + 0.01 * (2 * rng.float() - 1))),
      0.5 + rng.below(1000),
      200 * (1 + rng.float()),
      2 ** -(1 + rng.below(30)),
      rng.float() * 1e-3,
    ][rng.below(5)];
    out.push([x, c, 1 + rng.below(i % 7 === 0 ? 500_000 : 3000)]);
  }
  // Ties: c is an odd multiple of half the grid spacing of x's binade.
  for (const e of [10, 20, 33, 34])
    for (const k of [1, 3, 5, 7, 1001]) out.push([2 ** e + 2 ** (e - 52) * 3, 2 ** (e - 53) * k, 100_000], [2 ** e, 2 ** (e - 53) * k, 100_000]);
  return out;
}

describe("exact repeated addition", () => {
  it("addRepeated gives the double that n sequential additions give", () => {
    for (const [x, c, n] of cases()) expect(addRepeated(x, c, n)).toBe(naive(x, c, n).x);
  });

  it("advanceWithinBudget stops where the per-touch budget check stops, with the same clock", () => {
    const rng = new Rng(11);
    for (const [x, c, n] of cases()) {
      const start = x - rng.float() * 1e5 * (rng.below(2) ? 1 : 0);
      const budget = [0, c / 3, c * (1 + rng.below(n)), rng.float() * c * n, Infinity][rng.below(5)];
      const r = new Float64Array(4);
      r[RUN_CLOCK] = x;
      r[RUN_COST] = c;
      r[RUN_START] = start;
      r[RUN_BUDGET] = budget;
      const steps = advanceWithinBudget(r, n);
      expect({ steps, x: r[RUN_CLOCK] }, `x=${x} c=${c} n=${n} start=${start} budget=${budget}`).toEqual(naive(x, c, n, start, budget));
    }
  });
});
