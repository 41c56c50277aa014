import { describe, expect, it } from "vitest";
import { listMetrics, metricValue } from "./metrics.js";
import { runWorkload } from "./run.js";

describe("metrics over a run report", () => {
  const { report } = runWorkload({ workload: "remote-memory", topology: "nodes=2,cpus=2,mem=128M", seconds: 0.5, step: 0 });

  it("gives times, vmstat deltas (0 for counters this step's kernel lacks) and per-process figures", () => {
    expect(metricValue(report, "elapsed")).toBe(0.5);
    expect(metricValue(report, "pgfault")).toBe(report.vmstatDelta.pgfault);
    expect(metricValue(report, "numa_pages_migrated")).toBe(0);
    expect(metricValue(report, "pid1.local_percent")).toBe(report.processes[0].localPercent);
    expect(listMetrics(report)).toContain("migrated_per_hint_fault");
  });

  it("names the known metrics when asked for an unknown one", () => {
    expect(() => metricValue(report, "nope")).toThrow(/^unknown metric 'nope'; known: elapsed, user, system/);
  });
});
