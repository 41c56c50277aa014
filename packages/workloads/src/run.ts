import { PAGE_SIZE, PTRS_PER_PTE, NSEC_PER_SEC, SYS_PATHS, type MmStruct, type Task, pageToNid } from "@balancenuma/include-linux";
import { _PAGE_PSE } from "@balancenuma/arch-x86-pgtable";
import type { KernelInstance } from "@balancenuma/kernel";
import { bootAtStep, type StepBootOptions } from "@balancenuma/series";
import { vmstatEntries } from "@balancenuma/vmstat";
import { findWorkload } from "./builtins.js";
import { WorkloadError } from "@balancenuma/userspace";
import { PassTally, passesScore, startSpec } from "./spec-run.js";
import type { WorkloadSpec } from "./spec.js";
import type { StartedWorkload, Workload, WorkloadScore } from "./workload.js";

export interface RunOptions extends StepBootOptions {
  /** A built-in workload's name (ignored when `spec` is given). */
  workload?: string;
  /** A validated workload file to run instead of a built-in. */
  spec?: WorkloadSpec;
  /** The workload's own options (the words after `--`). */
  args?: readonly string[];
  /** Memory scale (1 = the original sizes); default: the workload's choice for the machine. */
  scale?: number;
  /** Simulated seconds to run at most; default: the workload file's `seconds` or the built-in's default. */
  seconds?: number;
  /** Seconds between memory and convergence samples. */
  sampleEvery?: number;
  /** Called after each tick with the fraction done: of the workload's work, or of the time cap if that is further (progress bars). */
  onProgress?: (fraction: number, simulatedSeconds: number) => void;
  /** Called after each tick with the kernel (views of /proc at a simulated time). */
  onTick?: (k: KernelInstance) => void;
  /** Called once the kernel has booted, before the workload starts (its boot log, e.g. warnings). */
  onBoot?: (k: KernelInstance) => void;
  /** Recorded in the report as given. */
  invocation?: Invocation;
}

export interface ProcessReport {
  pid: number;
  comm: string;
  threads: number;
  userSeconds: number;
  systemSeconds: number;
  /** Per-node resident memory at the end, MiB (0 once the process has exited). */
  nodeMiB: number[];
  /** When the process exited, simulated seconds; null if it was still running at the end. */
  exitedSeconds: number | null;
  /**
   * For a process that exited: its per-node memory at the last sample before it exited (null if it
   * exited before any sample, and for a process still running at the end).
   */
  beforeExit: { seconds: number; nodeMiB: number[] } | null;
  localTouches: number;
  remoteTouches: number;
  /** Share of touches that were local, percent; null when the process touched no memory. */
  localPercent: number | null;
  /** Bytes moved by local and remote streaming/latency touches. */
  localBytes: number;
  remoteBytes: number;
}

export interface MemorySample {
  seconds: number;
  /** [pid] -> MiB per node (empty once the process has exited). */
  processes: Record<string, number[]>;
}

/** mmtests' numa-convergence monitor (MonitorNumaconvergence.pm) at one sample. */
export interface ConvergenceSample {
  seconds: number;
  /** Share of the 20000-slot window holding local hinting faults, 0..1 (1 = converged); null before the first hinting faults. */
  value: number | null;
}

/** The NUMA lines mmtests derives from /proc/vmstat deltas (MonitorMmtestsvmstat.pm). */
export interface MmtestsNumaStats {
  numaBasePageRangeUpdates: number;
  numaPmdUpdates: number;
  numaPteUpdates: number;
  numaHintFaults: number;
  numaHintLocalFaults: number;
  /** null when there were no hinting faults (a ratio of nothing is not 100%). */
  numaHintLocalPercent: number | null;
  numaPagesMigrated: number;
  /** "AutoNUMA cost", arbitrary units: (7 pte updates + 5000 hint faults + 19 pages migrated) / 1e6. */
  autoNumaCost: number;
}

/** The work the workload's threads did: what a run capped by time is judged by. */
export interface WorkReport {
  /** True when the run stopped at its time cap (--seconds, or the workload's default) with work left. */
  capped: boolean;
  /** Bytes the threads read or wrote, all together. */
  bytes: number;
  /** GB (1e9 bytes) touched per second of elapsed time. */
  gbPerSecond: number;
  /** Threads that touched memory, and the GB each touched: least, mean, most. */
  threads: number;
  perThreadGB: { min: number; mean: number; max: number };
}

/** What the run was: enough to read a saved report on its own and to run it again. */
export interface RunConfig {
  /** The machine as resolved from the preset or --topology: per node its CPUs and memory, and SLIT distances. */
  topology: { name: string; threadsPerCore: number; nodes: { id: number; cpus: number[]; memMiB: number }[]; distance: number[][] };
  thp: "always" | "madvise" | "never";
  /** Every sysctl the kernel at this step has, with its value after boot. */
  sysctl: Record<string, number>;
  cmdline: string;
  /** debugfs sched_features after boot, as the file reads (NAME or NO_NAME), [] without CONFIG_SCHED_DEBUG. */
  schedFeatures: string[];
  /** Build options forced on top of the step (--force-numa-balancing-config, --no-sched-debug). */
  forcedConfig: Record<string, boolean | string>;
  /** Steps the kernel was built without (an ablation: `--revert`, compare's 49-40), ascending; [] for the whole step. */
  reverted: number[];
  /** The time cap, simulated seconds. */
  seconds: number;
  /** Seconds between memory and convergence samples. */
  sampleEvery: number;
}

/** Who ran the report and how (filled by the command line tool). */
export interface Invocation {
  tool: string;
  version: string;
  /** The step's key in the series ("baseline" for step 0). */
  stepKey: string;
  /** The command line that gives this report (for a sweep cell: the equivalent `run`). */
  commandLine: string[];
}

export interface RunReport {
  machine: string;
  step: number;
  seed: number;
  workload: string;
  /** The workload's options, as given. */
  args: string[];
  /** Memory scale the workload ran at (1 = the original sizes). */
  scale: number;
  elapsedSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  /**
   * System time by kernel path (include-linux sys-profile.ts: hinting_faults, scanner, migration,
   * migration_copy, tlb_ipi, ...), ns, in that order; the paths add up to the system time.
   */
  systemProfile: Record<string, number>;
  cpuPercent: number;
  /** Every process the workload started, in pid order. */
  processes: ProcessReport[];
  samples: MemorySample[];
  convergence: ConvergenceSample[];
  /** Per-node free memory at the end, MiB. */
  nodeFreeMiB: number[];
  /** /proc/vmstat at the end, in file order. */
  vmstat: Record<string, number>;
  /** /proc/vmstat end minus start (only counters that moved). */
  vmstatDelta: Record<string, number>;
  mmtests: MmtestsNumaStats;
  /** The workload's own result (bops, GB/s, convergence time, faults/s), if it has one. */
  score: WorkloadScore | null;
  work: WorkReport;
  config: RunConfig;
  invocation?: Invocation;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** Resident pages of an mm per node, from its page tables. */
function mmNodePages(k: KernelInstance, mm: MmStruct): number[] {
  const out = new Array<number>(k.topology.nodes.length).fill(0);
  const pt = mm.pgtable;
  for (let i = 0; i < pt.pmdCount; i++) {
    const f = pt.pmdFlags[i];
    if (f === 0) continue;
    if (f & _PAGE_PSE) {
      out[pageToNid(k.pages, pt.pmdVal[i])] += PTRS_PER_PTE;
      continue;
    }
    const slot = pt.pmdVal[i];
    for (let j = slot * PTRS_PER_PTE; j < (slot + 1) * PTRS_PER_PTE; j++) {
      const pfn = pt.ptePfn[j];
      if (pt.pteFlags[j] !== 0 && pfn >= 0) out[pageToNid(k.pages, pfn)]++;
    }
  }
  return out;
}

const toMiB = (pages: number) => round((pages * PAGE_SIZE) / (1024 * 1024), 2);

/**
 * The numa-convergence window: 20000 slots, remote = 1, local = 0; once faults have been recorded,
 * empty slots count as local (as mmtests does). Before any is recorded the value is null: no
 * hinting faults say nothing about convergence.
 */
export class ConvergenceWindow {
  static readonly SIZE = 20000;
  private readonly slots = new Uint8Array(ConvergenceWindow.SIZE);
  private index = 0;
  private remoteSlots = 0;
  private last: [number, number] | null = null;
  private recorded = false;

  /** Feed the cumulative numa_hint_faults and numa_hint_faults_local; returns the value. */
  update(faults: number, local: number): number | null {
    if (this.last) {
      const df = faults - this.last[0];
      const dl = local - this.last[1];
      // Approximated, as mmtests does to save memory: one slot per 100 faults.
      let l = Math.floor(dl / 100);
      let r = Math.floor((df - dl) / 100);
      while (r > 0 || l > 0) {
        if (r > 0) {
          this.put(1);
          r--;
        }
        if (l > 0) {
          this.put(0);
          l--;
        }
      }
    }
    this.last = [faults, local];
    return this.value();
  }

  private put(v: number): void {
    this.recorded = true;
    this.remoteSlots += v - this.slots[this.index];
    this.slots[this.index] = v;
    this.index = (this.index + 1) % ConvergenceWindow.SIZE;
  }

  value(): number | null {
    return this.recorded ? (ConvergenceWindow.SIZE - this.remoteSlots) / ConvergenceWindow.SIZE : null;
  }
}

/** mmtests' derived NUMA lines from a vmstat delta. */
export function mmtestsNumaStats(delta: Record<string, number>): MmtestsNumaStats {
  const v = (n: string) => delta[n] ?? 0;
  const faults = v("numa_hint_faults");
  const local = v("numa_hint_faults_local");
  return {
    numaBasePageRangeUpdates: v("numa_pte_updates"),
    numaPmdUpdates: v("numa_huge_pte_updates"),
    numaPteUpdates: v("numa_pte_updates") - 512 * v("numa_huge_pte_updates"),
    numaHintFaults: faults,
    numaHintLocalFaults: local,
    numaHintLocalPercent: faults === 0 ? null : round((100 * local) / faults, 2),
    numaPagesMigrated: v("numa_pages_migrated"),
    autoNumaCost: round((7 * v("numa_pte_updates") + 5000 * faults + 19 * v("numa_pages_migrated")) / 1e6, 6),
  };
}

/** The workload a run uses: a built-in by name, or a file's spec run by the spec runner. */
function resolve(opts: RunOptions): { name: string; defaultSeconds: number; start: Workload["start"] } {
  if (opts.spec) {
    const spec = opts.spec;
    return {
      name: spec.name,
      defaultSeconds: spec.seconds ?? 10,
      start: (k, ctx) => {
        if (ctx.args.length > 0)
          throw new WorkloadError(`${spec.source ?? spec.name}: a workload file takes no options after '--' (got '${ctx.args.join(" ")}')`);
        const scale = ctx.scale ?? 1;
        const tally = new PassTally();
        const tasks = startSpec(k, spec, scale, scale, tally);
        return { scale, spec, tasks, progress: () => tally.fraction(), score: (kk) => passesScore(spec.name, tally, kk.time / NSEC_PER_SEC) };
      },
    };
  }
  const w = findWorkload(opts.workload ?? "remote-memory");
  return { name: w.name, defaultSeconds: w.defaultSeconds, start: (k, ctx) => w.start(k, ctx) };
}

/** The work of the threads that touched memory. */
function workReport(tasks: readonly Task[], elapsed: number, capped: boolean): WorkReport {
  const per = tasks.map((t) => t.localBytes + t.remoteBytes).filter((b) => b > 0);
  const bytes = per.reduce((a, b) => a + b, 0);
  const gb = (b: number) => round(b / 1e9, 6);
  return {
    capped,
    bytes,
    gbPerSecond: elapsed > 0 ? round(bytes / 1e9 / elapsed, 6) : 0,
    threads: per.length,
    perThreadGB: per.length ? { min: gb(Math.min(...per)), mean: gb(bytes / per.length), max: gb(Math.max(...per)) } : { min: 0, mean: 0, max: 0 },
  };
}

/** The resolved machine and kernel settings of a run. */
function runConfig(k: KernelInstance, opts: RunOptions, seconds: number): RunConfig {
  const t = k.topology;
  const names = k.features.CONFIG_SCHED_DEBUG ? k.sched.schedFeatNames() : [];
  return {
    topology: {
      name: t.name,
      threadsPerCore: t.threadsPerCore,
      nodes: t.nodes.map((n) => ({ id: n.id, cpus: [...n.cpus], memMiB: toMiB(n.memBytes / PAGE_SIZE) })),
      distance: t.distance.map((row) => [...row]),
    },
    thp: opts.thp ?? "always",
    sysctl: Object.fromEntries(k.sysctl.entries()),
    cmdline: opts.cmdline ?? "",
    schedFeatures: names.map((n) => (k.sched.schedFeat(n) ? n : `NO_${n}`)),
    forcedConfig: { ...(opts.features ?? {}) } as Record<string, boolean | string>,
    reverted: [...(opts.revert ?? [])].sort((a, b) => a - b),
    seconds,
    sampleEvery: opts.sampleEvery ?? 1,
  };
}

/** Boot a kernel, run a workload on it, and report what the kernel's counters and the workload say. */
export function runWorkload(opts: RunOptions): { report: RunReport; kernel: KernelInstance; started: StartedWorkload } {
  const w = resolve(opts);
  if (opts.scale !== undefined && !(opts.scale > 0 && opts.scale <= 64)) throw new WorkloadError(`scale must be above 0 and at most 64, got ${opts.scale}`);
  const k = bootAtStep(opts);
  opts.onBoot?.(k);
  const seed = opts.seed ?? 1;
  const seconds = opts.seconds ?? w.defaultSeconds;
  const args = [...(opts.args ?? [])];
  const started = w.start(k, { args, scale: opts.scale, seed, seconds });
  const start = vmstatEntries(k.vm, k.features);
  const totalNs = Math.round(seconds * NSEC_PER_SEC);
  const sampleNs = Math.round((opts.sampleEvery ?? 1) * NSEC_PER_SEC);
  const samples: MemorySample[] = [];
  const convergence: ConvergenceSample[] = [];
  const window = new ConvergenceWindow();
  const leaders = () => [...k.tasks.values()].filter((t) => t.pid === t.tgid && t.mm);
  const hint = (name: string) => {
    for (const [n, v] of vmstatEntries(k.vm, k.features)) if (n === name) return v;
    return 0;
  };
  /** Per pid, its last sample while it was alive. */
  const lastAlive = new Map<number, { seconds: number; nodeMiB: number[] }>();
  const sample = () => {
    const s: MemorySample = { seconds: round(k.time / NSEC_PER_SEC), processes: {} };
    for (const t of leaders()) {
      s.processes[t.pid] = t.exitNs < 0 ? mmNodePages(k, t.mm!).map(toMiB) : [];
      if (t.exitNs < 0) lastAlive.set(t.pid, { seconds: s.seconds, nodeMiB: s.processes[t.pid] });
    }
    samples.push(s);
    const value = window.update(hint("numa_hint_faults"), hint("numa_hint_faults_local"));
    convergence.push({ seconds: s.seconds, value: value === null ? null : round(value, 5) });
  };
  let nextSample = 0;
  let finished = false;
  while (k.time < totalNs) {
    if (k.time >= nextSample) {
      sample();
      nextSample += sampleNs;
    }
    k.runTick();
    started.onTick?.(k);
    opts.onTick?.(k);
    if (opts.onProgress) opts.onProgress(Math.min(1, Math.max(k.time / totalNs, started.progress?.() ?? 0)), k.time / NSEC_PER_SEC);
    if (!k.hasLiveTasks() || started.done?.()) {
      finished = true;
      break;
    }
  }
  sample();

  const tasks = [...k.tasks.values()];
  const procReports: ProcessReport[] = leaders().map((leader) => {
    const th = tasks.filter((t) => t.tgid === leader.tgid);
    const sum = (f: (t: Task) => number) => th.reduce((a, t) => a + f(t), 0);
    const local = sum((t) => t.localTouches);
    const remote = sum((t) => t.remoteTouches);
    return {
      pid: leader.pid,
      comm: leader.comm,
      threads: th.length,
      userSeconds: round(sum((t) => t.utimeNs) / NSEC_PER_SEC),
      systemSeconds: round(sum((t) => t.stimeNs) / NSEC_PER_SEC),
      nodeMiB: leader.exitNs < 0 ? mmNodePages(k, leader.mm!).map(toMiB) : k.topology.nodes.map(() => 0),
      exitedSeconds: leader.exitNs < 0 ? null : round(leader.exitNs / NSEC_PER_SEC),
      beforeExit: leader.exitNs < 0 ? null : (lastAlive.get(leader.pid) ?? null),
      localTouches: local,
      remoteTouches: remote,
      localPercent: local + remote === 0 ? null : round((100 * local) / (local + remote), 2),
      localBytes: sum((t) => t.localBytes),
      remoteBytes: sum((t) => t.remoteBytes),
    };
  });
  const user = tasks.reduce((a, t) => a + t.utimeNs, 0) / NSEC_PER_SEC;
  const sys = tasks.reduce((a, t) => a + t.stimeNs, 0) / NSEC_PER_SEC;
  const elapsed = k.time / NSEC_PER_SEC;
  const end = vmstatEntries(k.vm, k.features);
  const startMap = new Map(start);
  const delta: Record<string, number> = {};
  for (const [n, v] of end) if (v !== (startMap.get(n) ?? 0)) delta[n] = v - (startMap.get(n) ?? 0);
  const report: RunReport = {
    machine: k.topology.name,
    step: k.step,
    seed,
    workload: w.name,
    args,
    scale: started.scale,
    elapsedSeconds: round(elapsed),
    userSeconds: round(user),
    systemSeconds: round(sys),
    systemProfile: Object.fromEntries(SYS_PATHS.map((p, i) => [p.name, Math.round(k.sysNs[i])])),
    cpuPercent: elapsed > 0 ? round((100 * (user + sys)) / elapsed, 1) : 0,
    processes: procReports,
    samples,
    convergence,
    nodeFreeMiB: k.topology.nodes.map((n) => toMiB(k.pageAlloc.nodeFreePages(n.id))),
    vmstat: Object.fromEntries(end),
    vmstatDelta: delta,
    mmtests: mmtestsNumaStats(delta),
    score: started.score ? started.score(k) : null,
    work: workReport(tasks, elapsed, !finished),
    config: runConfig(k, opts, seconds),
    ...(opts.invocation ? { invocation: opts.invocation } : {}),
  };
  return { report, kernel: k, started };
}
