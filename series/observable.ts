import type { Claim, ClaimRun, Direction, Step } from "./step.js";

/** A claim's metric meaning every metric of the run: the step changes nothing a run shows. */
export const EVERY_METRIC = "every metric";

/**
 * The runs `balancenuma review N` shows its behaviour delta on (machine, duration, THP mode; seed 1):
 * claims made on them can be seen in the review.
 */
export const REVIEW_RUN = { topology: "default", seconds: 4, thp: "always" } as const;

/** A workload's run under the review's settings. */
export const reviewRun = (workload: string): ClaimRun => ({ workload, ...REVIEW_RUN });

/** Claims that each metric moves as given on one run, e.g. moves(run, { numa_pages_migrated: "down" }). */
export const moves = (run: ClaimRun, metrics: Record<string, Direction>): Claim[] =>
  Object.entries(metrics).map(([metric, direction]) => ({ metric, direction, run }));

/** The claim of a step that changes nothing the run shows. */
export const nothingOn = (run: ClaimRun): Claim => ({ metric: EVERY_METRIC, direction: "unchanged", run });

/** The start of PATCH.md's generated line under "Observable:". */
const CHECKED = "Checked on runs";

const runText = (r: ClaimRun) => `${r.workload} (machine ${r.topology}, ${r.seconds} s, THP ${r.thp})`;
const claimText = (c: Claim) => (c.metric === EVERY_METRIC ? `every metric ${c.direction}` : `\`${c.metric}\` ${c.direction}`);

/**
 * The step's claims in one line, grouped by run, e.g. "Checked on runs (step 39 -> 40, seed 1):
 * numa01 (machine default, 4 s, THP never): `numa_pages_migrated` down. When: ...".
 */
export function checkedLine(step: Step): string {
  const byRun = new Map<string, string[]>();
  for (const c of step.observable.claims) {
    const key = runText(c.run);
    byRun.set(key, [...(byRun.get(key) ?? []), claimText(c)]);
  }
  const runs = [...byRun].map(([run, claims]) => `${run}: ${claims.join(", ")}`).join("; ");
  const when = step.observable.when;
  return `${CHECKED} (step ${step.number - 1} -> ${step.number}, seed 1): ${runs}. When: ${when}${when.endsWith(".") ? "" : "."}`;
}

/** PATCH.md with its "Checked on runs" line as generated from the step's claims, right under its Observable line(s). */
export function withCheckedLine(md: string, step: Step): string {
  const lines = md.split("\n").filter((l) => !l.startsWith(CHECKED));
  let at = -1;
  lines.forEach((l, i) => {
    if (l.startsWith("Observable")) at = i;
  });
  if (at < 0) throw new Error(`step ${step.number}: PATCH.md has no "Observable" line to put the checked claims under`);
  lines.splice(at + 1, 0, checkedLine(step));
  return lines.join("\n");
}
