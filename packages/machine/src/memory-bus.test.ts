import { describe, expect, it } from "vitest";
import { COST_PROFILES } from "./cost.js";
import { MemoryBus } from "./memory-bus.js";
import { makeTopology } from "./topology.js";

/**
 * The perf bench numa RAM-bw calibration on Ingo Molnar's 4-node Opteron (workloads.md §5): the
 * bus must reproduce each static placement's GB/s once saturation has settled.
 */
const vega = makeTopology({ name: "vega", memBytes: [2 ** 34, 2 ** 34, 2 ** 34, 2 ** 34], cpusPerNode: [8, 8, 8, 8] });
const TICK = 4_000_000;

/** Steady-state GB/s per stream for streams given as [cpuNode, memNode] pairs. */
function streams(pairs: [number, number][]): number[] {
  const bus = new MemoryBus(vega, COST_PROFILES["opteron-2012"]);
  for (let tick = 0; tick < 5; tick++) {
    for (const [c, m] of pairs) bus.busyNs[c * 4 + m] += TICK;
    bus.endTick(TICK);
  }
  return pairs.map(([c, m]) => 1 / bus.nsPerByte[c * 4 + m]);
}

describe("memory bus calibration (vega RAM-bw tests)", () => {
  const within5 = (got: number, want: number) => {
    expect(Math.abs(got - want) / want).toBeLessThan(0.05);
  };
  it("RAM-bw-local: 8.436 GB/s", () => {
    within5(streams([[0, 0]])[0], 8.436);
  });
  it("RAM-bw-remote: 6.717 GB/s", () => {
    within5(streams([[0, 1]])[0], 6.717);
  });
  it("RAM-bw-local-2x: 13.177 GB/s total", () => {
    within5(
      streams([
        [0, 0],
        [0, 0],
      ]).reduce((a, b) => a + b),
      13.177,
    );
  });
  it("RAM-bw-remote-2x: 7.371 GB/s total", () => {
    within5(
      streams([
        [0, 1],
        [0, 1],
      ])[0] * 2,
      7.371,
    );
  });
  it("RAM-bw-cross: 12.144 GB/s total", () => {
    within5(
      streams([
        [0, 1],
        [1, 0],
      ]).reduce((a, b) => a + b),
      12.144,
    );
  });
  it("an idle bus goes back to full speed", () => {
    const bus = new MemoryBus(vega, COST_PROFILES["opteron-2012"]);
    bus.busyNs[0] = 3 * TICK;
    bus.endTick(TICK);
    expect(1 / bus.nsPerByte[0]).toBeLessThan(8);
    bus.endTick(TICK);
    expect(1 / bus.nsPerByte[0]).toBeCloseTo(8.436, 3);
  });
});
