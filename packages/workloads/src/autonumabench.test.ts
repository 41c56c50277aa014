import { describe, expect, it } from "vitest";
import { bootAtStep } from "@balancenuma/series";
import { autonumaMachine, autonumaSpec, defaultAutonumaScale } from "./autonumabench.js";
import { runWorkload } from "./run.js";

const GiB = 1024 ** 3;
const machine = (topology: string) => autonumaMachine(bootAtStep({ topology }));

describe("autonumabench as written (fdf7a42)", () => {
  const vega = machine("nodes=4,cpus=8,mem=64M");
  const two = machine("nodes=2,cpus=4,mem=64M");

  it("numa01 forces every first touch onto the node the clock's parity picks (here: the seed's)", () => {
    for (const [seed, node] of [
      [1, 1],
      [2, 0],
      [7, 1],
    ]) {
      const p = autonumaSpec("numa01", "none", two, seed, 1).processes;
      expect(p).toHaveLength(2);
      const phases = p[0].threads[0].phases;
      expect(phases[0]).toEqual({ mempolicy: { mode: "bind", nodes: [node] } });
      expect(phases[1]).toMatchObject({ access: { region: "buf", loops: 1 } });
      expect(phases[2]).toEqual({ mempolicy: { mode: "default" } });
    }
  });

  it("threads per process come from the CPU count (preproc.awk)", () => {
    expect(autonumaSpec("numa01", "none", vega, 1, 1).processes.map((p) => p.threads[0].count)).toEqual([16, 16]);
    expect(autonumaSpec("numa02", "none", vega, 1, 1).processes[0].threads[0].count).toBe(32);
    expect(autonumaSpec("numa02-smt", "none", vega, 1, 1).processes[0].threads[0].count).toBe(16);
    const tl = autonumaSpec("numa01-threadlocal", "none", vega, 1, 1).processes[0].threads[0].phases;
    expect(tl[3]).toMatchObject({ access: { slice: "thread", loops: 1000 } });
  });

  it("sizes: --scale 1 is the original 3 GiB / 1 GiB; the default fits half a node", () => {
    expect(autonumaSpec("numa01", "none", vega, 1, 1).processes[0].regions[0].size).toBe(3 * GiB);
    expect(autonumaSpec("numa02", "none", vega, 1, 1).processes[0].regions[0].size).toBe(GiB);
    expect(defaultAutonumaScale("numa01", machine("vega"))).toBe(1);
    expect(defaultAutonumaScale("numa01", machine("default"))).toBe(0.125);
    expect(defaultAutonumaScale("numa02", machine("default"))).toBe(1);
    expect(() => runWorkload({ workload: "numa01", topology: "default", scale: 1, seconds: 0.01 })).toThrow(
      /first-touches 6\.00 GiB on one node; this machine's nodes have 2\.00 GiB/,
    );
  });

  it("HARD_BIND binds numa02's threads to node i/(THREADS/NNODES); INVERSE_BIND to the opposite", () => {
    const nodesOf = (v: "hard" | "inverse") =>
      autonumaSpec("numa02", v, vega, 1, 1).processes[0].threads.flatMap((g) =>
        Array.from({ length: g.count }, () => (g.mempolicy as { nodes: number[] }).nodes[0]),
      );
    const run = (order: number[]) => order.flatMap((n) => Array.from({ length: 8 }, () => n));
    expect(nodesOf("hard")).toEqual(run([0, 1, 2, 3]));
    expect(nodesOf("inverse")).toEqual(run([3, 2, 1, 0]));
  });

  it("numa01 INVERSE_BIND: both branches test NODEMASK1, so only the child gets remote memory", () => {
    const [parent, child] = autonumaSpec("numa01", "inverse", vega, 1, 1).processes;
    expect(parent).toMatchObject({ cpus: { nodes: [2, 3] }, mempolicy: { nodes: [2, 3] } });
    expect(child).toMatchObject({ cpus: { nodes: [0, 1] }, mempolicy: { nodes: [2, 3] } });
  });

  it("numa02: the main thread first-touches the whole buffer on its own node at step 0", () => {
    const { report } = runWorkload({ workload: "numa02", topology: "nodes=2,cpus=4,mem=256M", scale: 1 / 16, seconds: 0.1, debug: true });
    const [a, b] = report.processes[0].nodeMiB;
    expect(a + b).toBeCloseTo(64, 0);
    expect(Math.min(a, b)).toBe(0);
  });
});
