import { describe, expect, it } from "vitest";
import { runWorkload } from "../src/run.js";
import { SERIES } from "@balancenuma/series";

/**
 * The two demonstration workloads, long enough for each step's scanner, hinting faults and
 * migrations to run, with the invariants checked every tick. (Every built-in at every step on every
 * preset, briefly, is packages/workloads/src/steps.test.ts.)
 */
const WORKLOADS = ["remote-memory", "private-halves"];

describe("invariants hold at every step", () => {
  const steps = Array.from({ length: SERIES.length + 1 }, (_, n) => n);
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
