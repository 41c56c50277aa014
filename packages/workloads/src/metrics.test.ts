import { describe, expect, it } from "vitest";
import { SYS_PATHS } from "@balancenuma/include-linux";
import { ABSENT, SYS_METRICS, formatMetric, listMetrics, metricValue, reportMetrics } from "./metrics.js";
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
    for (const m of [
      "numa_pages_migrated",
      "numa_hint_faults",
      "numa_hint_local_percent",
      "autonuma_cost",
      "migrated_per_hint_fault",
      "convergence",
      "convergence_mean",
    ])
      expect(metricValue(report, m), m).toBe(ABSENT);
    // Step 30 adds the NUMA counters: a run that never hints counts 0 and its ratios are n/a.
    const { report: r30 } = runWorkload({ ...SMALL, seconds: 0.5, step: 30 });
    expect(metricValue(r30, "numa_pages_migrated")).toBe(0);
    expect(metricValue(r30, "numa_hint_faults")).toBe(0);
    expect(metricValue(r30, "autonuma_cost")).toBe(0);
    for (const m of ["numa_hint_local_percent", "migrated_per_hint_fault", "convergence", "convergence_mean"]) expect(metricValue(r30, m), m).toBeNull();
  });

  it("gives a ratio of nothing as null (n/a), never as a perfect 100%", async () => {
    // A process that only computes touches no memory.
    const spec = await parseWorkloadFile("name: think\nprocesses:\n  - name: think\n    main:\n      - compute: 0.2\n", "think.yaml");
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

  it("splits the system time by kernel path: the profile and its sys_* metrics add up to system", () => {
    const { report: r } = runWorkload({ ...SMALL, seconds: 3, step: 49 });
    expect(Object.keys(r.systemProfile)).toEqual(SYS_PATHS.map((p) => p.name));
    const ns = Object.values(r.systemProfile).reduce((a, b) => a + b, 0);
    // systemSeconds is rounded to ms, each path to ns.
    expect(Math.abs(ns - r.systemSeconds * 1e9)).toBeLessThanOrEqual(0.5e6 + SYS_PATHS.length);
    const m = reportMetrics(r);
    const parts = SYS_METRICS.map((n) => m.get(n) as number);
    expect(Math.abs(parts.reduce((a, b) => a + b, 0) - r.systemSeconds)).toBeLessThan(1e-3);
    for (const n of ["sys_hinting_faults", "sys_scanner", "sys_migration", "sys_migration_copy", "sys_page_clear", "sys_faults"])
      expect(m.get(n), n).toBeGreaterThan(0);
    expect(metricValue(r, "sys_migration_copy")).toBe(Number((r.systemProfile.migration_copy / 1e9).toFixed(6)));
    // Step 0 has no NUMA balancing: nothing hints, scans or migrates.
    for (const n of ["sys_hinting_faults", "sys_scanner", "sys_migration", "sys_migration_copy"]) expect(metricValue(report, n), n).toBe(0);
    // A report saved before the profile existed has no such figures: n/a.
    const { systemProfile: _, ...old } = r;
    expect(metricValue(old as typeof r, "sys_scanner")).toBeNull();
  });

  it("writes n/a and absent as words", () => {
    expect([formatMetric(null), formatMetric(ABSENT), formatMetric(1.5, (n) => n.toFixed(2))]).toEqual(["n/a", "absent", "1.50"]);
  });

  it("names the known metrics when asked for an unknown one", () => {
    expect(() => metricValue(report, "nope")).toThrow(/^unknown metric 'nope'; known: elapsed, user, system/);
  });
});
