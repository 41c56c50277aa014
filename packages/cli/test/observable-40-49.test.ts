/** Steps 40-49: the Observable claims of each step hold (see observable.ts; split in three so the runs share the workers). */
import { describe, expect, it } from "vitest";
import { EVERY_METRIC, SERIES, reviewRun } from "@balancenuma/series";
import { checkStep } from "./observable.js";

describe("Observable claims, steps 40-49", () => {
  it.each(SERIES.slice(40 - 1, 49).map((s) => [s.number, s.key] as const))(
    "step %i (%s): each claimed move shows on its run against the step before",
    (n) => {
      checkStep(n);
    },
    120_000,
  );

  it("a claim the runs contradict fails, naming the metric and both values (the runs of step 40's claims, reused)", () => {
    const run = reviewRun("remote-memory");
    expect(() => {
      checkStep(40, [{ metric: "numa_pages_migrated", direction: "down", run }]);
    }).toThrow(/'numa_pages_migrated' down, but \d+ -> \d+/);
    expect(() => {
      checkStep(40, [{ metric: EVERY_METRIC, direction: "unchanged", run }]);
    }).toThrow(/every metric unchanged, but these moved/);
    expect(() => {
      checkStep(40, [{ metric: "numa_pages_migrated", direction: "appears", run }]);
    }).toThrow(/'numa_pages_migrated' appears, but \d+ -> \d+/);
    expect(() => {
      checkStep(40, [{ metric: "numa_pages_moved", direction: "up", run }]);
    }).toThrow(/the run has no metric 'numa_pages_moved'/);
  });
});
