/**
 * A STREAM-like local/remote bandwidth test: perf bench numa's static RAM-bw placements (one or two
 * pinned threads streaming over memory first touched under MPOL_BIND) run through the whole kernel,
 * and compared with the machine's calibration figures (its cost profile; for every preset today,
 * vega's measurements: docs/cost-model.md). This checks the cost model against hardware facts,
 * never against benchmark results.
 */
import { streamBandwidth } from "@balancenuma/machine";
import type { KernelInstance } from "@balancenuma/kernel";
import { WorkloadError } from "@balancenuma/userspace";
import { startPerfBenchNuma } from "./perf-bench-numa.js";
import type { Workload, WorkloadScore } from "./workload.js";

interface StreamPlacement {
  name: string;
  /** perf bench numa arguments for this machine. */
  args: string;
  /** Seconds each placement streams (perf's -s, here fractional). */
  secs: number;
  /** The figure the calibration says, GB/s total. */
  expectGBs: number;
}

/**
 * The five placements of the vega calibration, mapped onto this machine: CPU "0" is node 0's first
 * CPU, "2" its third (another core on SMT machines), "8" node 1's first CPU.
 */
function streamPlacements(k: KernelInstance, secs: number, mb: number): StreamPlacement[] {
  const n0 = k.topology.nodes[0].cpus;
  const n1 = k.topology.nodes[1]?.cpus ?? [];
  if (n0.length < 3 || n1.length < 1) throw new WorkloadError("stream needs node 0 with at least 3 CPUs and node 1 with a CPU");
  const c0 = n0[0];
  const c2 = n0[Math.min(n0.length - 1, 2 * k.topology.threadsPerCore)];
  const c8 = n1[0];
  const p = k.cost;
  const local = p.streamLocalGBs;
  const remote = streamBandwidth(p, k.topology.distance[0][1]);
  const common = `-P ${mb} -zZq --thp 1 --no-data_rand_walk -G 0`;
  return [
    { name: "RAM-bw-local", secs, args: `-p 1 -t 1 -C ${c0} -M 0 ${common}`, expectGBs: Math.min(local, p.controllerGBs) },
    { name: "RAM-bw-remote", secs, args: `-p 1 -t 1 -C ${c0} -M 1 ${common}`, expectGBs: Math.min(remote, p.linkDirGBs, p.controllerGBs) },
    { name: "RAM-bw-local-2x", secs, args: `-p 2 -t 1 -C ${c0},${c2} -M 0x2 ${common}`, expectGBs: Math.min(2 * local, p.controllerGBs) },
    { name: "RAM-bw-remote-2x", secs, args: `-p 2 -t 1 -C ${c0},${c2} -M 1x2 ${common}`, expectGBs: Math.min(2 * remote, p.linkDirGBs, p.controllerGBs) },
    { name: "RAM-bw-cross", secs, args: `-p 2 -t 1 -C ${c0},${c8} -M 1,0 ${common}`, expectGBs: Math.min(2 * remote, p.linkTotalGBs, 2 * p.linkDirGBs) },
  ];
}

function parseStreamArgs(args: readonly string[]): { secs: number; mb: number } {
  let secs = 2;
  let mb = 256;
  for (let i = 0; i < args.length; i++) {
    const v = Number(args[i + 1]);
    if (args[i] === "-s" && Number.isFinite(v) && v >= 0.05 && v <= 3600) secs = v;
    else if (args[i] === "-P" && Number.isFinite(v) && v >= 1) mb = v;
    else throw new WorkloadError(`stream: expected '-s SECONDS' (0.05 to 3600) or '-P MB' (>= 1), got '${args.slice(i, i + 2).join(" ")}'`);
    i++;
  }
  return { secs, mb };
}

export const stream: Workload = {
  name: "stream",
  description: "STREAM-like local/remote bandwidth: the five RAM-bw static placements through the kernel, against the machine's calibration",
  usage: "-- [-s SECONDS per placement (2, fractions allowed)] [-P MB per stream (256)]",
  defaultSeconds: 600,
  start(k, ctx) {
    const { secs, mb } = parseStreamArgs(ctx.args);
    const placements = streamPlacements(k, secs, mb * (ctx.scale ?? 1));
    const run = startPerfBenchNuma(k, [], 1, placements);
    return {
      ...run,
      scale: ctx.scale ?? 1,
      score: (kk: KernelInstance): WorkloadScore => {
        const perf = run.score!(kk);
        const metrics: Record<string, number> = {};
        const lines: string[] = [];
        for (const pl of placements) {
          const got = perf.metrics[`${pl.name} total-speed GB/sec`] ?? 0;
          const dev = ((got - pl.expectGBs) / pl.expectGBs) * 100;
          metrics[`${pl.name} GB/sec`] = got;
          metrics[`${pl.name} calibration GB/sec`] = Number(pl.expectGBs.toFixed(3));
          metrics[`${pl.name} deviation %`] = Number(dev.toFixed(2));
          lines.push(
            ` ${pl.name.padEnd(18)} ${got.toFixed(3).padStart(8)} GB/sec   calibration ${pl.expectGBs.toFixed(3).padStart(7)}   ${dev >= 0 ? "+" : ""}${dev.toFixed(2)}%`,
          );
        }
        return { metrics, lines };
      },
    };
  },
};
