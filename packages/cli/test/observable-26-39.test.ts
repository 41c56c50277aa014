/** Steps 26-39: the Observable claims of each step hold (see observable.ts; split in three so the runs share the workers). */
import { describe, it } from "vitest";
import { SERIES } from "@balancenuma/series";
import { checkStep } from "./observable.js";

describe("Observable claims, steps 26-39", () => {
  it.each(SERIES.slice(26 - 1, 39).map((s) => [s.number, s.key] as const))(
    "step %i (%s): each claimed move shows on its run against the step before",
    (n) => {
      checkStep(n);
    },
    120_000,
  );
});
