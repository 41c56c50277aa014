import { describe, expect, it } from "vitest";
import { runWorkload } from "./run.js";
import { BUILTIN_WORKLOADS } from "./builtins.js";
import { BUILTIN_WORKLOAD_NAMES } from "./names.js";

it("the light list of names (names.ts) names each built-in workload, in order", () => {
  expect(BUILTIN_WORKLOADS.map((w) => w.name)).toEqual(BUILTIN_WORKLOAD_NAMES);
});

describe("built-in workloads at step 0 (Linux 3.7-rc6)", () => {
  it("remote-memory: the buffer stays on node 0 and every touch is remote", () => {
    const { report } = runWorkload({ workload: "remote-memory", seconds: 2, debug: true, topology: "nodes=2,cpus=2,mem=256M" });
    const p = report.processes[0];
    expect(p.nodeMiB[1]).toBeLessThan(1);
    expect(p.nodeMiB[0]).toBeGreaterThanOrEqual(64);
    // The first sweep ran bound, from node 1's CPUs: all touches remote, then and for ever.
    expect(p.localPercent).toBe(0);
    expect(p.remoteTouches).toBeGreaterThan(0);
    for (const s of report.samples.slice(1)) expect(s.processes[p.pid][1]).toBeLessThan(1);
  });

  it("private-halves: the half swept from the other node stays remote", () => {
    const { report } = runWorkload({ workload: "private-halves", seconds: 2, debug: true, topology: "nodes=2,cpus=2,mem=256M" });
    const p = report.processes[0];
    expect(p.threads).toBe(3);
    // All memory was first touched by the main thread on one node.
    expect(Math.min(...p.nodeMiB)).toBeLessThan(1);
    expect(p.localPercent).toBeGreaterThan(35);
    expect(p.localPercent).toBeLessThan(65);
  });

  it("debug mode checks invariants without changing the run", () => {
    const opts = { workload: "private-halves", seconds: 0.5, topology: "nodes=2,cpus=2,mem=256M" };
    expect(JSON.stringify(runWorkload({ ...opts, debug: true }).report)).toBe(JSON.stringify(runWorkload(opts).report));
  });

  it("reports counters under their /proc/vmstat names", () => {
    const { report } = runWorkload({ workload: "remote-memory", seconds: 1, topology: "nodes=2,cpus=2,mem=256M" });
    expect(report.vmstatDelta.pgfault).toBeGreaterThan(0);
    expect(report.vmstat).toHaveProperty("compact_pages_moved");
    expect(report.vmstat).not.toHaveProperty("pgmigrate_success");
    expect(report.vmstat).not.toHaveProperty("numa_hint_faults");
  });
});
