/**
 * Host memory the simulator needs per simulated process, thread and mapped region: the figures
 * behind HOST_LIMITS (src/host-limits.ts, docs/workloads.md "Limits"). Each figure is the growth of
 * the host heap between a small and a large workload that differ only in that count, after both ran
 * 1.6 simulated seconds at the last step on an 8-node machine (NUMA balancing scanning and every
 * thread touching memory, so each task carries its NUMA fault statistics).
 *
 *   node --expose-gc --conditions=@balancenuma/source --import tsx packages/workloads/bench/host-memory.ts
 */
import { bootAtStep } from "@balancenuma/series";
import { SERIES } from "@balancenuma/series";
import { startSpec, validateSpec, type WorkloadSpecInput } from "../src/index.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

/** Host bytes in use: JS heap plus typed-array storage. */
function hostBytes(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Host bytes a workload holds after running 1.6 simulated seconds (the kernel boot excluded). */
async function held(spec: WorkloadSpecInput): Promise<number> {
  const k = bootAtStep({ topology: "nodes=8,cpus=4,mem=1G", step: SERIES.length, seed: 1 });
  const before = hostBytes();
  startSpec(k, await validateSpec(spec));
  for (let i = 0; i < 400; i++) k.runTick();
  const after = hostBytes();
  if (k.tasks.size === 0) throw new Error("nothing ran");
  return after - before;
}

const access = { access: { region: "buf", pattern: "random", touchesPerLoop: 1000, slice: "thread" } } as const;
const processes = (n: number): WorkloadSpecInput => ({
  name: "p",
  processes: [{ name: "p", count: n, regions: [{ name: "buf", size: "64K" }], main: [{ access: { region: "buf" } }] }],
});
const threads = (n: number): WorkloadSpecInput => ({
  name: "t",
  processes: [{ name: "t", regions: [{ name: "buf", size: "64M" }], threads: [{ count: n, phases: [access] }] }],
});
const regions = (n: number): WorkloadSpecInput => ({
  name: "r",
  processes: [{ name: "r", regions: Array.from({ length: n }, (_, i) => ({ name: `r${i}`, size: "4K", firstTouch: "main" as const })) }],
});

const per = async (f: (n: number) => WorkloadSpecInput, a: number, b: number) => ((await held(f(b))) - (await held(f(a)))) / (b - a) / 1024;
console.log(`per process: ${(await per(processes, 16, 512)).toFixed(1)} KiB`);
console.log(`per thread:  ${(await per(threads, 64, 4096)).toFixed(2)} KiB`);
console.log(`per region:  ${(await per(regions, 64, 4096)).toFixed(2)} KiB`);
