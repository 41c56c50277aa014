import { describe, it, expect } from "vitest";
import { findPreset, makeTopology } from "@balancenuma/machine";
import {
  SD_BALANCE_EXEC,
  SD_BALANCE_FORK,
  SD_BALANCE_WAKE,
  SD_SHARE_CPUPOWER,
  SD_WAKE_AFFINE,
  buildSchedDomains,
  schedInitNuma,
  type SchedDomain,
} from "./topology.js";
import { defaultTunables } from "./sched.js";

const preset = (n: string) => {
  const p = findPreset(n);
  if (!p) throw new Error(n);
  return p.topology;
};
const shape = (d: SchedDomain) => ({ name: d.name, span: d.spanWeight, groups: d.groups.map((g) => g.cpus.length) });
const range = (a: number, n: number) => Array.from({ length: n }, (_, i) => a + i);

describe("sched domains per preset", () => {
  it("default (2 nodes x 4 CPUs): MC over the node, one NUMA level over both", () => {
    const doms = buildSchedDomains(preset("default"));
    expect(doms[5].map(shape)).toEqual([
      { name: "MC", span: 4, groups: [1, 1, 1, 1] },
      { name: "NUMA", span: 8, groups: [4, 4] },
    ]);
    expect(doms[5][0].span).toEqual([4, 5, 6, 7]);
    // sd->groups starts at the CPU's own group.
    expect(doms[5][1].groups[0].cpus).toEqual([4, 5, 6, 7]);
    expect(doms[5][0].groups[0].cpus).toEqual([5]);
    expect(doms[5][1].parent).toBeNull();
    expect(doms[5][1].child).toBe(doms[5][0]);
  });

  it("vega (4 x 8): NUMA groups are the four nodes", () => {
    const doms = buildSchedDomains(preset("vega"));
    expect(doms[9].map(shape)).toEqual([
      { name: "MC", span: 8, groups: Array(8).fill(1) },
      { name: "NUMA", span: 32, groups: [8, 8, 8, 8] },
    ]);
    expect(doms[9][1].groups.map((g) => g.cpus[0])).toEqual([8, 16, 24, 0]);
  });

  it("4n48c (SMT 2): SIBLING pairs, MC of six cores, NUMA of four nodes", () => {
    const t = preset("4n48c");
    const doms = buildSchedDomains(t);
    expect(doms[13].map(shape)).toEqual([
      { name: "SIBLING", span: 2, groups: [1, 1] },
      { name: "MC", span: 12, groups: Array(6).fill(2) },
      { name: "NUMA", span: 48, groups: [12, 12, 12, 12] },
    ]);
    expect(doms[13][0].span).toEqual([12, 13]);
    expect(doms[13][0].flags & SD_SHARE_CPUPOWER).toBeTruthy();
    expect(doms[13][0].imbalancePct).toBe(110);
    // Two threads are worth 1178/1024 of a CPU.
    expect(doms[13][1].groups[0].power).toBe(1178);
  });

  it("8n64c: eight node groups at the NUMA level", () => {
    const doms = buildSchedDomains(preset("8n64c"));
    expect(doms[63].map(shape)).toEqual([
      { name: "MC", span: 8, groups: Array(8).fill(1) },
      { name: "NUMA", span: 64, groups: Array(8).fill(8) },
    ]);
  });

  it("levels carry 3.7's flags and intervals", () => {
    const [mc, numa] = buildSchedDomains(preset("default"))[0];
    expect(mc.imbalancePct).toBe(125);
    expect([mc.minInterval, mc.maxInterval, mc.busyFactor, mc.busyIdx]).toEqual([1, 4, 64, 2]);
    expect(mc.flags & (SD_BALANCE_FORK | SD_BALANCE_EXEC | SD_WAKE_AFFINE)).toBe(SD_BALANCE_FORK | SD_BALANCE_EXEC | SD_WAKE_AFFINE);
    expect(mc.flags & SD_BALANCE_WAKE).toBe(0);
    // sd_numa_init: intervals from the span weight, busy_factor 32, fork/exec/affine within RECLAIM_DISTANCE.
    expect([numa.minInterval, numa.maxInterval, numa.busyFactor, numa.balanceInterval, numa.imbalancePct]).toEqual([8, 16, 32, 8, 125]);
    expect(numa.flags & (SD_BALANCE_FORK | SD_BALANCE_EXEC | SD_WAKE_AFFINE)).toBe(SD_BALANCE_FORK | SD_BALANCE_EXEC | SD_WAKE_AFFINE);
    expect(numa.flags & SD_BALANCE_WAKE).toBe(0);
  });

  it("one NUMA level per distinct distance, overlapping groups, no fork/affine balancing beyond distance 30", () => {
    const t = makeTopology({
      name: "ring",
      memBytes: Array(4).fill(64 << 20),
      cpusPerNode: [2, 2, 2, 2],
      distance: [
        [10, 20, 40, 20],
        [20, 10, 20, 40],
        [40, 20, 10, 20],
        [20, 40, 20, 10],
      ],
    });
    expect(schedInitNuma(t)).toEqual([20, 40]);
    const doms = buildSchedDomains(t)[0];
    expect(doms.map((d) => [d.name, d.numaDistance, d.span])).toEqual([
      ["MC", 0, [0, 1]],
      ["NUMA", 20, [0, 1, 2, 3, 6, 7]],
      ["NUMA", 40, range(0, 8)],
    ]);
    // Level 40: node 0's reach and node 2's reach, overlapping on nodes 1 and 3.
    expect(doms[2].groups.map((g) => g.cpus)).toEqual([
      [0, 1, 2, 3, 6, 7],
      [2, 3, 4, 5, 6, 7],
    ]);
    expect(doms[1].flags & SD_BALANCE_FORK).toBeTruthy();
    expect(doms[2].flags & (SD_BALANCE_FORK | SD_BALANCE_EXEC | SD_WAKE_AFFINE)).toBe(0);
  });

  it("a single-node machine has only MC; a one-CPU node has no MC", () => {
    const one = makeTopology({ name: "one", memBytes: [64 << 20], cpusPerNode: [4] });
    expect(buildSchedDomains(one)[0].map((d) => d.name)).toEqual(["MC"]);
    const thin = makeTopology({ name: "thin", memBytes: [64 << 20, 64 << 20], cpusPerNode: [1, 1] });
    expect(buildSchedDomains(thin)[1].map(shape)).toEqual([{ name: "NUMA", span: 2, groups: [1, 1] }]);
  });
});

describe("tunables", () => {
  it("scale by 1 + log2(cpus), capped at 8 CPUs, as 3.7's update_sysctl does", () => {
    expect(defaultTunables(1).latencyNs).toBe(6_000_000);
    expect(defaultTunables(2).latencyNs).toBe(12_000_000);
    expect(defaultTunables(8)).toMatchObject({ latencyNs: 24_000_000, minGranularityNs: 3_000_000, wakeupGranularityNs: 4_000_000, migrationCostNs: 500_000 });
    expect(defaultTunables(64).latencyNs).toBe(24_000_000);
  });
});
