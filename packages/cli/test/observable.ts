/**
 * The check behind observable-*.test.ts: each step's Observable claims (series/NN-*\/step.ts) hold on
 * their runs, the step before against the step (the runs `balancenuma review N` prints, kept per run
 * so consecutive steps share them).
 */
import { expect } from "vitest";
import { EVERY_METRIC, SERIES, type Claim, type ClaimRun } from "@balancenuma/series";
import { ABSENT, reportMetrics, type MetricValue } from "@balancenuma/workloads";
import { deltaRuns } from "../src/commands/review.js";
import type { StepRuns } from "../src/commands/step-runs.js";

const runs = new Map<string, StepRuns>();
const runsOf = (r: ClaimRun): StepRuns => {
  const key = JSON.stringify(r);
  if (!runs.has(key)) runs.set(key, deltaRuns(r.workload, r));
  return runs.get(key)!;
};

/** Whether a metric moved from `before` (the step before) to `after` as `c` says ("appears": from absent, not from n/a). */
function holds(c: Claim, before: MetricValue | undefined, after: MetricValue | undefined): boolean {
  const num = (v: MetricValue | undefined) => (typeof v === "number" ? v : undefined);
  const [a, b] = [num(before), num(after)];
  switch (c.direction) {
    case "up":
      return a !== undefined && b !== undefined && b > a;
    case "down":
      return a !== undefined && b !== undefined && b < a;
    case "unchanged":
      return before === after;
    case "appears":
      return (before === ABSENT || before === undefined) && b !== undefined;
  }
}

/** Check step n's claims (or the given ones) on their runs; a failing claim names its metric, run and both values. */
export function checkStep(n: number, claims: readonly Claim[] = SERIES[n - 1].observable.claims): void {
  expect(claims.length, `step ${n} makes no claim`).toBeGreaterThan(0);
  for (const c of claims) {
    const r = runsOf(c.run);
    const [a, b] = [reportMetrics(r.report(n - 1, 1)), reportMetrics(r.report(n, 1))];
    const where = `step ${n - 1} -> ${n} on ${JSON.stringify(c.run)}`;
    if (c.metric === EVERY_METRIC) {
      expect(c.direction, `step ${n}: '${EVERY_METRIC}' can only be unchanged`).toBe("unchanged");
      const moved = [...new Set([...a.keys(), ...b.keys()])].filter((m) => a.get(m) !== b.get(m));
      expect(moved, `${where}: ${EVERY_METRIC} ${c.direction}, but these moved`).toEqual([]);
      continue;
    }
    expect(a.has(c.metric) || b.has(c.metric), `${where}: no metric '${c.metric}'`).toBe(true);
    expect(holds(c, a.get(c.metric), b.get(c.metric)), `${where}: '${c.metric}' ${c.direction}, but ${a.get(c.metric)} -> ${b.get(c.metric)}`).toBe(true);
  }
}
