/**
 * `pnpm bench`: how fast and how compact the simulation is. Wall-clock time is read here, outside
 * the model, only to measure it. Figures go to docs/performance.md with this command.
 *
 *   pnpm bench [--seconds S] [--workloads a,b,...] [--step N] [--thp always|never] [--json]
 *
 * --seconds caps each run (default 10); `--seconds 0` runs each workload to its own end (numa02:
 * all 800 passes). Default workloads: remote-memory, private-halves, numa02.
 */
import { performance } from "node:perf_hooks";
import { bootAtStep } from "@balancenuma/series";
import { BUILTIN_WORKLOADS, runWorkload } from "@balancenuma/workloads";

const argv = process.argv.slice(2);
const flag = (name: string, dflt: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const seconds = Number(flag("--seconds", "10"));
const step = Number(flag("--step", "0"));
const thp = flag("--thp", "always") as "always" | "never";
const workloads = flag("--workloads", "remote-memory,private-halves,numa02").split(",");
const json = argv.includes("--json");

interface Row {
  workload: string;
  step: number;
  machine: string;
  simulatedSeconds: number;
  wallSeconds: number;
  realTimeFactor: number;
  touches: number;
  touchesPerWallSecond: number;
}

function measureRun(workload: string, machine: string): Row {
  const t0 = performance.now();
  const { kernel } = runWorkload({ workload, topology: machine, step, thp, seconds: seconds > 0 ? seconds : undefined });
  const wall = (performance.now() - t0) / 1000;
  let touches = 0;
  for (const t of kernel.tasks.values()) touches += t.localTouches + t.remoteTouches;
  const sim = kernel.time / 1e9;
  return {
    workload,
    step,
    machine,
    simulatedSeconds: sim,
    wallSeconds: Number(wall.toFixed(3)),
    realTimeFactor: Number((sim / wall).toFixed(2)),
    touches,
    touchesPerWallSecond: Math.round(touches / wall),
  };
}

/** Bytes held in typed arrays directly referenced by `obj`'s own properties. */
function typedArrayBytes(obj: object): number {
  let n = 0;
  for (const v of Object.values(obj)) if (ArrayBuffer.isView(v)) n += v.byteLength;
  return n;
}

/**
 * Host bytes per simulated 4 KiB page: struct page and the allocator's per-page state, counted
 * exactly from the typed arrays a booted kernel holds, divided by the pages it simulates.
 */
function bytesPerPage(machine: string): { machine: string; pages: number; bytesPerPage: number } {
  const k = bootAtStep({ topology: machine });
  const bytes = typedArrayBytes(k.pages) + typedArrayBytes(k.pageAlloc);
  return { machine, pages: k.pages.nrPages, bytesPerPage: Number((bytes / k.pages.nrPages).toFixed(2)) };
}

for (const w of workloads) if (!BUILTIN_WORKLOADS.some((b) => b.name === w)) throw new Error(`unknown workload ${w}`);
const rows = workloads.map((w) => measureRun(w, "default"));
const memory = ["default", "vega"].map(bytesPerPage);
if (json) console.log(JSON.stringify({ seconds, rows, memory }, null, 2));
else {
  console.log(`${seconds > 0 ? `at most ${seconds}` : "until done,"} simulated s per run, step ${step}, THP ${thp} (node ${process.version})`);
  for (const r of rows)
    console.log(`${r.workload.padEnd(16)} ${r.machine.padEnd(8)} simulated ${r.simulatedSeconds.toFixed(2)} s  wall ${r.wallSeconds.toFixed(2)} s  real-time factor ${r.realTimeFactor}x  ${(r.touchesPerWallSecond / 1e6).toFixed(1)} M page touches/s`);
  for (const m of memory) console.log(`host memory ${m.machine.padEnd(8)} ${m.pages} pages: ${m.bytesPerPage} bytes per simulated page`);
}
