import { describe, expect, it } from "vitest";
import { runWorkload } from "../src/run.js";

/**
 * The two demonstration workloads, long enough for each step's scanner, hinting faults and
 * migrations to run, with the invariants checked every tick. (Every built-in at every step on every
 * preset, briefly, is packages/workloads/src/steps.test.ts.) The steps are split over files so
 * that they run side by side.
 */
const WORKLOADS = ["remote-memory", "private-halves"];

/** Tests that the invariants hold at steps first..last. */
export function invariantsAtSteps(first: number, last: number): void {
  describe("invariants hold at every step", () => {
    const steps = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    it.each(steps)("step %i", (step) => {
      for (const workload of WORKLOADS) {
        const { report } = runWorkload({
          workload,
          step,
          seconds: 0.4,
          debug: true,
          topology: "nodes=2,cpus=2,mem=128M",
          thp: "never",
          // Shorten slow start so the scanner runs inside the brief run where the step has one.
          sysctl: step >= 29 ? { "kernel.numa_balancing_scan_delay_ms": 100 } : {},
        });
        expect(report.elapsedSeconds).toBeGreaterThan(0);
      }
    });
  });
}
