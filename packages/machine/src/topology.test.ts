import { describe, expect, it } from "vitest";
import { PRESETS, parseSize, parseTopology } from "./presets.js";
import { MAX_CPUS, MAX_MEMORY_BYTES, TopologyError } from "./topology.js";

describe("machine presets", () => {
  it("have the shapes of the series' 2012 machines", () => {
    const shape = (name: string) => {
      const t = PRESETS.find((p) => p.name === name)!.topology;
      return { nodes: t.nodes.length, cpus: t.nrCpus, gib: t.nodes.map((n) => n.memBytes / 2 ** 30) };
    };
    expect(shape("default")).toEqual({ nodes: 2, cpus: 8, gib: [2, 2] });
    expect(shape("vega")).toEqual({ nodes: 4, cpus: 32, gib: [16, 16, 16, 16] });
    expect(shape("4n48c")).toMatchObject({ nodes: 4, cpus: 48 });
    expect(shape("8n64c")).toEqual({ nodes: 8, cpus: 64, gib: [32, 32, 32, 32, 32, 32, 64, 64] });
  });
});

describe("--topology syntax", () => {
  it("accepts per-node lists with repeats, CPU-less nodes and a distance", () => {
    const t = parseTopology("nodes=3,cpus=4+4+0,mem=1G*2+512M,distance=21").topology;
    expect(t.nodes.map((n) => n.cpus.length)).toEqual([4, 4, 0]);
    expect(t.nodes.map((n) => n.memBytes)).toEqual([2 ** 30, 2 ** 30, 2 ** 29]);
    expect(t.distance[0]).toEqual([10, 21, 21]);
    expect(t.cpuToNode).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it.each([
    ["bogus", /unknown topology 'bogus'/],
    ["nodes=0", /nodes=N with N from 1 to 64/],
    ["nodes=2,cpus=4+4+4", /3 values for 2 nodes/],
    ["nodes=2,mem=3M", /multiple of 2M/],
    ["nodes=2,cpus=0", /at least one CPU/],
    ["nodes=2,color=red", /not one of nodes=/],
    ["nodes=2,cpus=3,smt=2", /not a multiple of smt=2/],
    ["nodes=2,nodes=3", /gives nodes= twice/],
    ["nodes=0x2", /nodes=N with N from 1 to 64/],
    ["nodes=2,cpus=0x4", /cpus: '0x4' is not a whole number/],
    ["nodes=2,cpus=1e1", /cpus: '1e1' is not a whole number/],
    ["nodes=2,mem=0x10G", /'0x10G' is not a size/],
    ["nodes=2,mem=1G*0x2", /bad repeat count/],
    // Counted before expanding: a billion repeats is refused without building a billion values.
    ["nodes=2,mem=1G*1000000000", /mem gives 1000000000 values for 2 nodes/],
    ["nodes=2,mem=1T", /the machine has 2048G of memory; the model runs at most 512G in all \(15 bytes of host memory per simulated 4K page/],
    ["nodes=8,cpus=1024,mem=16M", /the machine has 8192 CPUs; the model runs at most 1024 in all/],
  ])("rejects %s with a message naming the problem", (spec, msg) => {
    expect(() => parseTopology(spec)).toThrow(TopologyError);
    expect(() => parseTopology(spec)).toThrow(msg);
  });

  it("takes the largest machine the model runs: 1024 CPUs and 512G in all", () => {
    const t = parseTopology("nodes=64,cpus=16,mem=8G").topology;
    expect([t.nrCpus, t.nodes.reduce((a, n) => a + n.memBytes, 0)]).toEqual([MAX_CPUS, MAX_MEMORY_BYTES]);
    expect(() => parseTopology("nodes=64,cpus=16,mem=8G+8G*62+10G")).toThrow(/514G of memory/);
  });

  it("parses sizes", () => {
    expect(parseSize("1.5G")).toBe(1.5 * 2 ** 30);
    expect(() => parseSize("lots")).toThrow(/not a size/);
  });
});
