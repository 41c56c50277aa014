/**
 * `pnpm bench`: how fast and how compact the simulation is. Wall-clock time is read here, outside
 * the model, only to measure it. Figures go to docs/performance.md with this command.
 *
 *   pnpm bench [--seconds S] [--workloads a,b,...] [--step N] [--thp always|never] [--machine M]
 *              [--per-page] [--no-extras] [--sweep] [--json]
 *
 * --seconds caps each run (default 10); `--seconds 0` runs each workload to its own end (numa02:
 * all 800 passes). Default workloads: remote-memory, private-halves, numa02, on the default
 * machine. --per-page charges touches one by one (the reference the bulk path is tested against),
 * to pair the two. Each run's CPU seconds are printed next to its wall seconds: on a shared
 * machine they are what one idle core would take. Then (unless --no-extras) issue 12's
 * remote-sweep scenarios (bench/scenarios, step 49, their own 30 s), the start-up of the built
 * command (after `pnpm build`), and every touches/s figure also as a ratio to a bare typed-array
 * loop measured in the same run, and the heap's growth per touch call (allocation per touch would show).
 * --sweep also times issue 12's sweep of 50 kernels x 4 autonumabench workloads with the built
 * command (minutes).
 */
import { readFileSync, readdirSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { bootAtStep } from "@balancenuma/series";
import { BUILTIN_WORKLOADS, parseWorkloadFile, runWorkload, type RunOptions } from "@balancenuma/workloads";
import { heapBytesPerTouchCall } from "./allocation.js";
import { bareLoopTouchesPerSecond } from "./bare-loop.js";
import { distBuilt, timeDistRepeated } from "./startup.js";
import { SWEEP_ARGS, timeSweep } from "./sweep.js";

const argv = process.argv.slice(2);
const flag = (name: string, dflt: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const seconds = Number(flag("--seconds", "10"));
const step = Number(flag("--step", "0"));
const thp = flag("--thp", "always") as "always" | "never";
const workloads = flag("--workloads", "remote-memory,private-halves,numa02").split(",");
const json = argv.includes("--json");
const machine = flag("--machine", "default");
const touchPath = argv.includes("--per-page") ? "per-page" : "bulk";
const extras = !argv.includes("--no-extras");
const withSweep = argv.includes("--sweep");

interface Row {
  workload: string;
  step: number;
  machine: string;
  simulatedSeconds: number;
  wallSeconds: number;
  cpuSeconds: number;
  realTimeFactor: number;
  touches: number;
  touchesPerWallSecond: number;
}

function measureRun(workload: string, machine: string, opts: Partial<RunOptions> = {}, runStep = step): Row {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { kernel } = runWorkload({ workload, topology: machine, step: runStep, thp, touchPath, seconds: seconds > 0 ? seconds : undefined, ...opts });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  let touches = 0;
  for (const t of kernel.tasks.values()) touches += t.localTouches + t.remoteTouches;
  const sim = kernel.time / 1e9;
  return {
    workload,
    step: runStep,
    machine,
    simulatedSeconds: sim,
    wallSeconds: Number(wall.toFixed(3)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
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

const SCENARIOS = new URL("./scenarios/", import.meta.url);

/** issue 12's 64 MiB two-node sweeps, at step 49 for their own 30 simulated seconds. */
async function scenarioRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const file of readdirSync(SCENARIOS).sort()) {
    const spec = await parseWorkloadFile(readFileSync(new URL(file, SCENARIOS), "utf8"), file);
    rows.push(measureRun(spec.name, "default", { spec, seconds: undefined }, 49));
  }
  return rows;
}

/** Wall seconds of the built command from spawn to exit: --help, and a 0.1 s run of a small machine. */
function startup(): { command: string; min: number; median: number }[] | null {
  if (!distBuilt()) return null;
  const commands = [["--help"], ["run", "-w", "remote-memory", "-t", "nodes=2,cpus=2,mem=64M", "--seconds", "0.1"]];
  return commands.map((args) => ({ command: `balancenuma ${args.join(" ")}`, ...timeDistRepeated(args, 5) }));
}

for (const w of workloads) if (!BUILTIN_WORKLOADS.some((b) => b.name === w)) throw new Error(`unknown workload ${w}`);
const bare = bareLoopTouchesPerSecond();
const rows = [...workloads.map((w) => measureRun(w, machine)), ...(extras ? await scenarioRows() : [])];
const memory = extras ? ["default", "vega"].map(bytesPerPage) : [];
const allocation = extras ? heapBytesPerTouchCall() : [];
const starts = extras ? startup() : [];
if (withSweep && !distBuilt()) throw new Error("--sweep times the built command: run `pnpm build` first");
const sweep = withSweep ? timeSweep() : null;
const ratio = (r: Row) => Number((r.touchesPerWallSecond / bare).toFixed(4));
if (json)
  console.log(
    JSON.stringify(
      {
        seconds,
        bareLoopTouchesPerSecond: Math.round(bare),
        rows: rows.map((r) => ({ ...r, ratioToBareLoop: ratio(r) })),
        memory,
        allocation,
        startup: starts,
        sweep,
      },
      null,
      2,
    ),
  );
else {
  console.log(
    `${seconds > 0 ? `at most ${seconds}` : "until done,"} simulated s per run, step ${step}, THP ${thp}, ${touchPath} touch path (node ${process.version})`,
  );
  console.log(`bare typed-array loop: ${(bare / 1e6).toFixed(0)} M page touches/s (one write and one node comparison per touch)`);
  for (const r of rows)
    console.log(
      `${r.workload.padEnd(18)} ${r.machine.padEnd(8)} step ${String(r.step).padEnd(2)} simulated ${r.simulatedSeconds.toFixed(2)} s  wall ${r.wallSeconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s)  real-time factor ${r.realTimeFactor}x  ${(r.touchesPerWallSecond / 1e6).toFixed(1)} M page touches/s (${(ratio(r) * 100).toFixed(2)}% of the bare loop)`,
    );
  for (const m of memory) console.log(`host memory ${m.machine.padEnd(8)} ${m.pages} pages: ${m.bytesPerPage} bytes per simulated page`);
  for (const a of allocation) console.log(`heap growth per userTouch call of ${a.touches} page touches: ${a.bytesPerCall} bytes`);
  if (starts === null) console.log("start-up: not measured (run `pnpm build` first: it times packages/cli/dist/bundle/balancenuma.js)");
  else for (const s of starts) console.log(`start-up ${s.command}: ${s.min.toFixed(3)} s fastest, ${s.median.toFixed(3)} s median of 5`);
  if (sweep) console.log(`balancenuma ${SWEEP_ARGS.join(" ")}: ${sweep.runs} runs, ${sweep.simulatedSeconds} simulated s, ${sweep.wallSeconds} s wall`);
}
