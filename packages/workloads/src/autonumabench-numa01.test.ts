import { describe, expect, it } from "vitest";
import { runWorkload } from "./run.js";

// The series at work on autonumabench (split from autonumabench.test.ts so the long runs go side by side).
describe("the series at work on autonumabench, huge pages or not", () => {
  it("numa01 (memory shared across nodes) migrates and finishes sooner at step 49 with THP always and never", () => {
    for (const thp of ["always", "never"] as const) {
      const before = runWorkload({ workload: "numa01", step: 0, thp }).report;
      const after = runWorkload({ workload: "numa01", step: 49, thp }).report;
      expect(after.vmstatDelta.numa_pages_migrated).toBeGreaterThan(0);
      expect(after.elapsedSeconds).toBeLessThan(0.9 * before.elapsedSeconds);
    }
  });
});
