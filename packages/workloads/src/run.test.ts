import { describe, expect, it } from "vitest";
import { ConvergenceWindow, mmtestsNumaStats, runWorkload } from "./run.js";

describe("report metrics", () => {
  it("numa-convergence follows mmtests: a window of 20000 slots, one per 100 hinting faults", () => {
    const w = new ConvergenceWindow();
    expect(w.update(0, 0)).toBeNull(); // the first sample only sets the baseline: no faults, no verdict
    expect(w.update(99, 99)).toBeNull(); // below 100 faults nothing is recorded
    expect(w.update(1_000_099, 99)).toBe(0.5); // 10000 remote slots; empty slots count as local
    expect(w.update(2_000_000, 0)).toBe(0);
    expect(w.update(2_000_000 + 1_000_000, 500_000)).toBe(0.25); // interleaved: 5000 remote, 5000 local
    expect(w.update(6_000_000, 3_500_000)).toBe(1); // 30000 local slots push every remote one out
    expect(w.update(6_000_099, 3_500_000)).toBe(1); // below 100 faults: nothing recorded
  });

  it("derives the mmtests NUMA lines and AutoNUMA cost from vmstat deltas", () => {
    const m = mmtestsNumaStats({
      numa_pte_updates: 10_000,
      numa_huge_pte_updates: 2,
      numa_hint_faults: 400,
      numa_hint_faults_local: 100,
      numa_pages_migrated: 50,
    });
    expect(m).toMatchObject({
      numaPteUpdates: 10_000 - 1024,
      numaPmdUpdates: 2,
      numaHintLocalPercent: 25,
      autoNumaCost: (7 * 10_000 + 5000 * 400 + 19 * 50) / 1e6,
    });
    expect(mmtestsNumaStats({}).numaHintLocalPercent).toBeNull(); // no faults: n/a, not 100%
  });

  it("carries scores, convergence samples and per-process local/remote bytes", () => {
    const { report } = runWorkload({ workload: "pft", topology: "nodes=2,cpus=2,mem=128M", seconds: 2, scale: 0.25 });
    expect(report.score!.metrics["faults/sec"]).toBeGreaterThan(0);
    expect(report.convergence.length).toBe(report.samples.length);
    expect(report.processes[0].localBytes + report.processes[0].remoteBytes).toBeGreaterThan(0);
  });

  it.each([
    ["specjbb", ["--ramp-up", "0.1", "--measure", "0.2"], "bops"],
    ["kbuild", ["--files", "6", "--cc-ms", "5"], "jobs/sec"],
  ])("%s reports its own score", (workload, args, metric) => {
    const { report } = runWorkload({ workload, args, topology: "nodes=2,cpus=2,mem=128M", seconds: 5, scale: 1 / 16 });
    expect(report.score!.metrics[metric]).toBeGreaterThan(0);
    expect(report.elapsedSeconds).toBeLessThan(1);
  });

  it("is byte-identical for the same seed", () => {
    const opts = { workload: "perf-numa-mem", args: ["-p", "2", "-t", "1", "-P", "4", "-s", "1"], topology: "nodes=2,cpus=2,mem=64M", seconds: 0.3, seed: 3 };
    expect(JSON.stringify(runWorkload(opts).report)).toBe(JSON.stringify(runWorkload(opts).report));
  });
});
