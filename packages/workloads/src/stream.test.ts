import { describe, expect, it } from "vitest";
import { runWorkload } from "./run.js";

/**
 * The STREAM-like test runs the RAM-bw static placements through the whole kernel (first touch
 * under MPOL_BIND, pinned threads, the fault path, THP) and must land within 5% of the machine's
 * calibration: for every preset today, Ingo Molnar's vega measurements (workloads.md §5).
 */
const VEGA: Record<string, number> = {
  "RAM-bw-local": 8.436,
  "RAM-bw-remote": 6.717,
  "RAM-bw-local-2x": 13.177,
  "RAM-bw-remote-2x": 7.371,
  "RAM-bw-cross": 12.144,
};

describe("stream reproduces the calibration figures end to end", () => {
  // The big presets' shapes (nodes, CPUs per node, SMT) with less memory per node: the figures
  // depend on the cost profile and where the CPUs are, not on how much memory the nodes have.
  it.each([
    ["vega", "vega"],
    ["default", "default"],
    ["4n48c", "nodes=4,cpus=12,smt=2,mem=512M"],
    ["8n64c", "nodes=8,cpus=8,mem=512M*6+1G*2"],
  ])("%s", (_name, topology) => {
    const { report } = runWorkload({ workload: "stream", topology, args: ["-s", "0.25", "-P", "32"], step: 0 });
    const m = report.score!.metrics;
    for (const [test, want] of Object.entries(VEGA)) {
      expect(m[`${test} calibration GB/sec`]).toBeCloseTo(want, 2);
      expect(Math.abs(m[`${test} GB/sec`] - want) / want).toBeLessThan(0.05);
    }
  });
});
