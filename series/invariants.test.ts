import { describe, expect, it } from "vitest";
import { BUILTIN_WORKLOADS, runWorkload } from "@balancenuma/workloads";
import { SERIES } from "./index.js";

/** Every built-in workload, briefly, at every step 0..49, with the invariants checked every tick. */
describe("invariants hold at every step", () => {
  const steps = Array.from({ length: SERIES.length + 1 }, (_, n) => n);
  it.each(steps)("step %i", (step) => {
    for (const w of BUILTIN_WORKLOADS) {
      const { report } = runWorkload({
        workload: w.name,
        step,
        seconds: 0.4,
        debug: true,
        topology: "nodes=2,cpus=2,mem=64M",
        // Shorten slow start so the scanner runs inside the brief run where the step has one.
        sysctl: step >= 29 ? { "kernel.numa_balancing_scan_delay_ms": 100 } : {},
      });
      expect(report.elapsedSeconds).toBeGreaterThan(0);
    }
  });
});
