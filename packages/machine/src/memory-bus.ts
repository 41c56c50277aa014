import { type CostProfile, streamBandwidth } from "./cost.js";
import type { Topology } from "./topology.js";

/**
 * Memory bandwidth and latency between CPU nodes and memory nodes, with saturation.
 *
 * Each tick, the CPUs record how long they spent touching memory of each node (busyNs). At the end
 * of the tick the unconstrained demand on every shared resource (a node's memory controller, each
 * direction of an interconnect link, and a link's two directions together) is the sum over the
 * (cpu node, memory node) pairs that use it of (fraction of the tick spent) x (single-stream
 * bandwidth). A resource asked for more than its capacity slows every pair that uses it by
 * capacity/demand for the next tick. Using time fractions, not achieved bytes, keeps the estimate
 * stable: a thread that streams all tick asks for a full stream whatever it got.
 *
 * With a noise source (setNoise), each pair's costs also vary by up to profile.memoryJitter either
 * way from one tick to the next, as measured bandwidth does between runs on a real machine.
 */
export class MemoryBus {
  readonly nodes: number;
  /** ns per byte for a streaming touch, [cpuNode * nodes + memNode], for the current tick. */
  readonly nsPerByte: Float64Array;
  /** ns for one latency-bound cache-line touch, [cpuNode * nodes + memNode], for the current tick. */
  readonly latencyNs: Float64Array;
  /** ns spent touching memory this tick, [cpuNode * nodes + memNode]; the access path adds to it. */
  readonly busyNs: Float64Array;
  /** The slowdown factor (<= 1) applied this tick, [cpuNode * nodes + memNode]. */
  readonly factor: Float64Array;
  private readonly stream: Float64Array;
  private readonly baseLatency: Float64Array;
  /** A uniform [0, 1) source for the jitter (null: no jitter). */
  private noise: (() => number) | null = null;

  constructor(
    private readonly topology: Topology,
    private readonly profile: CostProfile,
  ) {
    const n = topology.nodes.length;
    this.nodes = n;
    this.nsPerByte = new Float64Array(n * n);
    this.latencyNs = new Float64Array(n * n);
    this.busyNs = new Float64Array(n * n);
    this.factor = new Float64Array(n * n).fill(1);
    this.stream = new Float64Array(n * n);
    this.baseLatency = new Float64Array(n * n);
    for (let c = 0; c < n; c++)
      for (let m = 0; m < n; m++) {
        const d = topology.distance[c][m];
        this.stream[c * n + m] = streamBandwidth(profile, d);
        this.baseLatency[c * n + m] = (profile.latencyLocalNs * d) / 10;
      }
    this.apply();
  }

  /** Draw each tick's cost jitter from `uniform` (a seeded generator's [0, 1) floats). */
  setNoise(uniform: () => number): void {
    this.noise = uniform;
    this.apply();
  }

  /** Close a tick of length tickNs: derive next tick's factors from this tick's busy time, then clear it. */
  endTick(tickNs: number): void {
    const n = this.nodes;
    const p = this.profile;
    const controller = new Float64Array(n);
    const linkDir = new Float64Array(n * n); // [from memNode * n + to cpuNode]
    for (let c = 0; c < n; c++)
      for (let m = 0; m < n; m++) {
        const i = c * n + m;
        if (this.busyNs[i] === 0) continue;
        const want = (this.busyNs[i] / tickNs) * this.stream[i];
        controller[m] += want;
        if (c !== m) linkDir[m * n + c] += want;
      }
    for (let c = 0; c < n; c++)
      for (let m = 0; m < n; m++) {
        let f = controller[m] > p.controllerGBs ? p.controllerGBs / controller[m] : 1;
        if (c !== m) {
          const dir = linkDir[m * n + c];
          if (dir > p.linkDirGBs) f = Math.min(f, p.linkDirGBs / dir);
          const both = dir + linkDir[c * n + m];
          if (both > p.linkTotalGBs) f = Math.min(f, p.linkTotalGBs / both);
        }
        this.factor[c * n + m] = f;
      }
    this.busyNs.fill(0);
    this.apply();
  }

  private apply(): void {
    const a = this.profile.memoryJitter;
    for (let i = 0; i < this.nsPerByte.length; i++) {
      const jitter = this.noise === null ? 1 : 1 + a * (2 * this.noise() - 1);
      this.nsPerByte[i] = jitter / (this.stream[i] * this.factor[i]);
      this.latencyNs[i] = (jitter * this.baseLatency[i]) / this.factor[i];
    }
  }

  /** ns to copy `bytes` from memory on node `from` to node `to`, done by a CPU on node `cpuNode`. */
  copyNs(cpuNode: number, from: number, to: number, bytes: number): number {
    const n = this.nodes;
    return bytes * (this.nsPerByte[cpuNode * n + from] + this.nsPerByte[cpuNode * n + to]);
  }

  get topologyName(): string {
    return this.topology.name;
  }
}
