/**
 * The check behind observable-*.test.ts: each step's Observable claims (series/NN-*\/step.ts) hold on
 * their runs, the step before against the step (the runs `balancenuma review N` prints, kept per run
 * so consecutive steps share them).
 */
import { expect } from "vitest";
import { EVERY_METRIC, SERIES, type Claim, type ClaimRun } from "@balancenuma/series";
import { reportMetrics } from "@balancenuma/workloads";
import { deltaRuns } from "../src/commands/review.js";
import { checkClaim } from "../src/commands/claims.js";
import type { StepRuns } from "../src/commands/step-runs.js";

const runs = new Map<string, StepRuns>();
const runsOf = (r: ClaimRun): StepRuns => {
  const key = JSON.stringify(r);
  if (!runs.has(key)) runs.set(key, deltaRuns(r.workload, r));
  return runs.get(key)!;
};

/** Check step n's claims (or the given ones) on their runs; a failing claim names its metric, run and both values. */
export function checkStep(n: number, claims: readonly Claim[] = SERIES[n - 1].observable.claims): void {
  expect(claims.length, `step ${n} makes no claim`).toBeGreaterThan(0);
  for (const c of claims) {
    const r = runsOf(c.run);
    const { holds, why } = checkClaim(c, reportMetrics(r.report(n - 1, 1)), reportMetrics(r.report(n, 1)));
    const what = c.metric === EVERY_METRIC ? EVERY_METRIC : `'${c.metric}'`;
    expect(holds, `step ${n - 1} -> ${n} on ${JSON.stringify(c.run)}: ${what} ${c.direction}, but ${why}`).toBe(true);
  }
}
