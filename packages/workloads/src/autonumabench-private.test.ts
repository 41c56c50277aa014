import { describe, expect, it } from "vitest";
import { runWorkload } from "./run.js";

// The series at work on autonumabench (split from autonumabench.test.ts so the long runs go side by side).
describe("the series at work on autonumabench, huge pages or not", () => {
  const local = (r: ReturnType<typeof runWorkload>["report"]) => {
    const [l, rem] = r.processes.reduce(([a, b], p) => [a + p.localTouches, b + p.remoteTouches], [0, 0]);
    return l / (l + rem);
  };
  it.each(["numa01-threadlocal", "numa02", "numa02-smt"])(
    "%s (private memory) migrates and runs more locally at step 49 with THP always and never",
    (workload) => {
      const before = local(runWorkload({ workload, step: 0, seconds: 15 }).report);
      for (const thp of ["always", "never"] as const) {
        const after = runWorkload({ workload, step: 49, thp, seconds: 15 }).report;
        expect(after.vmstatDelta.numa_pages_migrated).toBeGreaterThan(0);
        expect(local(after)).toBeGreaterThan(before + 0.03);
      }
    },
  );
});
