import { describe, expect, it } from "vitest";
import { ABSENT, formatMetric, listMetrics, metricValue } from "./metrics.js";
import { runWorkload } from "./run.js";
import { parseWorkloadFile } from "./spec-problems.js";

const SMALL = { workload: "remote-memory", topology: "nodes=2,cpus=2,mem=128M" };

describe("metrics over a run report", () => {
  const { report } = runWorkload({ ...SMALL, seconds: 0.5, step: 0 });

  it("gives times, vmstat deltas and per-process figures", () => {
    expect(metricValue(report, "elapsed")).toBe(0.5);
    expect(metricValue(report, "pgfault")).toBe(report.vmstatDelta.pgfault);
    expect(metricValue(report, "pid1.local_percent")).toBe(report.processes[0].localPercent);
    expect(listMetrics(report)).toContain("migrated_per_hint_fault");
  });

  it("marks a counter the step's kernel does not have, and what derives from it, absent: not 0", () => {
    for (const m of ["numa_pages_migrated", "numa_hint_faults", "numa_hint_local_percent", "autonuma_cost", "migrated_per_hint_fault", "convergence", "convergence_mean"])
      expect(metricValue(report, m), m).toBe(ABSENT);
    // Step 30 adds the NUMA counters: a run that never hints counts 0 and its ratios are n/a.
    const { report: r30 } = runWorkload({ ...SMALL, seconds: 0.5, step: 30 });
    expect(metricValue(r30, "numa_pages_migrated")).toBe(0);
    expect(metricValue(r30, "numa_hint_faults")).toBe(0);
    expect(metricValue(r30, "autonuma_cost")).toBe(0);
    for (const m of ["numa_hint_local_percent", "migrated_per_hint_fault", "convergence", "convergence_mean"]) expect(metricValue(r30, m), m).toBeNull();
  });

  it("gives a ratio of nothing as null (n/a), never as a perfect 100%", () => {
    // A process that only computes touches no memory.
    const spec = parseWorkloadFile("name: think\nprocesses:\n  - name: think\n    main:\n      - compute: 0.2\n", "think.yaml");
    const { report: early } = runWorkload({ spec, topology: SMALL.topology, step: 49 });
    expect(early.processes[0].localTouches + early.processes[0].remoteTouches).toBe(0);
    expect(metricValue(early, "local_percent")).toBeNull();
    expect(metricValue(early, "pid1.local_percent")).toBeNull();
    expect(early.mmtests.numaHintLocalPercent).toBeNull();
    // Once hinting faults come, the ratios are numbers.
    const { report: later } = runWorkload({ ...SMALL, seconds: 3, step: 49 });
    expect(metricValue(later, "numa_hint_local_percent")).toEqual(expect.any(Number));
    expect(metricValue(later, "convergence")).toEqual(expect.any(Number));
  });

  it("writes n/a and absent as words", () => {
    expect([formatMetric(null), formatMetric(ABSENT), formatMetric(1.5, (n) => n.toFixed(2))]).toEqual(["n/a", "absent", "1.50"]);
  });

  it("names the known metrics when asked for an unknown one", () => {
    expect(() => metricValue(report, "nope")).toThrow(/^unknown metric 'nope'; known: elapsed, user, system/);
  });
});
