import { EVERY_METRIC, type Claim, type ClaimRun } from "@balancenuma/series";
import { ABSENT, type MetricValue } from "@balancenuma/workloads";
import { showMetric } from "./step-runs.js";

/** Whether a metric moved from `before` (the step before) to `after` as `c` says ("appears": from absent, not from n/a). */
function moved(c: Claim, before: MetricValue | undefined, after: MetricValue | undefined): boolean {
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

const showOrDash = (v: MetricValue | undefined) => (v === undefined ? "-" : showMetric(v));

/**
 * A step's Observable claim (series step.ts) against the metrics of its run at the step before and
 * at the step: whether it holds, and what the run showed when it does not.
 */
export function checkClaim(c: Claim, before: Map<string, MetricValue>, after: Map<string, MetricValue>): { holds: boolean; why: string } {
  if (c.metric === EVERY_METRIC) {
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((m) => before.get(m) !== after.get(m));
    return { holds: c.direction === "unchanged" && changed.length === 0, why: changed.length ? `these moved: ${changed.join(", ")}` : "" };
  }
  if (!before.has(c.metric) && !after.has(c.metric)) return { holds: false, why: `the run has no metric '${c.metric}'` };
  const holds = moved(c, before.get(c.metric), after.get(c.metric));
  return { holds, why: `${showOrDash(before.get(c.metric))} -> ${showOrDash(after.get(c.metric))}` };
}

/** Whether a claim was made on this run (the same workload, machine, duration and THP mode). */
export const claimedOn = (c: Claim, r: ClaimRun): boolean =>
  c.run.workload === r.workload && c.run.topology === r.topology && c.run.seconds === r.seconds && c.run.thp === r.thp;
