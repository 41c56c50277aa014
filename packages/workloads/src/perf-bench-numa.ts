/**
 * `perf bench numa mem` (Ingo Molnar, December 2012, tools/perf/bench/numa.c): its options with the
 * same syntax, its task model (p processes x t threads; global, process and thread memory), its
 * access model (bzero, sequential walks with backwards passes, the 32-bit LFSR random walk), the
 * once-a-second convergence check done by the last task, and its result lines. `-a` runs the
 * built-in suite with the exact parameters of the original table.
 */
import {
  MAX_NUMNODES,
  MAP_SHARED,
  MADV_HUGEPAGE,
  MADV_NOHUGEPAGE,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_BIND,
  MPOL_DEFAULT,
  NSEC_PER_SEC,
  PROT_READ,
  PROT_WRITE,
  nodeMask,
  type UserApi,
} from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { WorkloadError } from "@balancenuma/userspace";
import { fitProblem, mappingBytes } from "./footprint.js";
import { HOST_LIMITS, ensureHostFits } from "./host-limits.js";
import { Barrier, Script, act, call, chunkedWalk, join, lazy, sequence, sleepFor, sweep, type ScriptStep } from "@balancenuma/userspace";
import { nodesCpuMask } from "./spec-run.js";
import type { StartedWorkload, Workload, WorkloadScore } from "./workload.js";

const MB = 1024 * 1024;
const TWO_MIB = 2 * MB;

/** The parameters of one run (struct params in numa.c), with perf's defaults (init_params). */
export interface PerfParams {
  nrProc: number;
  nrThreads: number;
  mbGlobal: number;
  mbProc: number;
  mbProcLocked: number;
  mbThread: number;
  /** -1 = unlimited. */
  nrLoops: number;
  nrSecs: number;
  sleepUsecs: number;
  dataReads: boolean;
  dataWrites: boolean;
  dataBackwards: boolean;
  dataZeroMemset: boolean;
  dataRandWalk: boolean;
  initZero: boolean;
  initRandom: boolean;
  initCpu0: boolean;
  perturbSecs: number;
  showDetails: number;
  runAll: number;
  thp: number;
  showConvergence: boolean;
  measureConvergence: boolean;
  showQuiet: boolean;
  serializeStartup: boolean;
  /** -C: per task CPU lists (first tasks). */
  cpus: number[][];
  /** -M: per task node (first tasks). */
  nodes: number[];
  /** Extension (not perf): run only these suite tests. */
  tests: string[];
}

export function defaultPerfParams(): PerfParams {
  return {
    nrProc: 1,
    nrThreads: 1,
    mbGlobal: 1,
    mbProc: 0,
    mbProcLocked: 0,
    mbThread: 0,
    nrLoops: -1,
    nrSecs: 5,
    sleepUsecs: 0,
    dataReads: true,
    dataWrites: true,
    dataBackwards: true,
    dataZeroMemset: false,
    dataRandWalk: true,
    initZero: false,
    initRandom: true,
    initCpu0: false,
    perturbSecs: 0,
    showDetails: 0,
    runAll: 0,
    thp: 0,
    showConvergence: false,
    measureConvergence: false,
    showQuiet: false,
    serializeStartup: true,
    cpus: [],
    nodes: [],
    tests: [],
  };
}

type Kind = "int" | "uint" | "mb" | "bool" | "incr" | "cpus" | "nodes" | "tests";
interface Opt {
  short?: string;
  long: string;
  kind: Kind;
  key: keyof PerfParams;
}

const OPTIONS: Opt[] = [
  { short: "p", long: "nr_proc", kind: "int", key: "nrProc" },
  { short: "t", long: "nr_threads", kind: "int", key: "nrThreads" },
  { short: "G", long: "mb_global", kind: "mb", key: "mbGlobal" },
  { short: "P", long: "mb_proc", kind: "mb", key: "mbProc" },
  { short: "L", long: "mb_proc_locked", kind: "mb", key: "mbProcLocked" },
  { short: "T", long: "mb_thread", kind: "mb", key: "mbThread" },
  { short: "l", long: "nr_loops", kind: "uint", key: "nrLoops" },
  { short: "s", long: "nr_secs", kind: "uint", key: "nrSecs" },
  { short: "u", long: "usleep", kind: "uint", key: "sleepUsecs" },
  { short: "R", long: "data_reads", kind: "bool", key: "dataReads" },
  { short: "W", long: "data_writes", kind: "bool", key: "dataWrites" },
  { short: "B", long: "data_backwards", kind: "bool", key: "dataBackwards" },
  { short: "Z", long: "data_zero_memset", kind: "bool", key: "dataZeroMemset" },
  { short: "r", long: "data_rand_walk", kind: "bool", key: "dataRandWalk" },
  { short: "z", long: "init_zero", kind: "bool", key: "initZero" },
  { short: "I", long: "init_random", kind: "bool", key: "initRandom" },
  { short: "0", long: "init_cpu0", kind: "bool", key: "initCpu0" },
  { short: "x", long: "perturb_secs", kind: "int", key: "perturbSecs" },
  { short: "d", long: "show_details", kind: "incr", key: "showDetails" },
  { short: "a", long: "all", kind: "incr", key: "runAll" },
  { short: "H", long: "thp", kind: "int", key: "thp" },
  { short: "c", long: "show_convergence", kind: "bool", key: "showConvergence" },
  { short: "m", long: "measure_convergence", kind: "bool", key: "measureConvergence" },
  { short: "q", long: "quiet", kind: "bool", key: "showQuiet" },
  { short: "S", long: "serialize-startup", kind: "bool", key: "serializeStartup" },
  { short: "C", long: "cpus", kind: "cpus", key: "cpus" },
  { short: "M", long: "memnodes", kind: "nodes", key: "nodes" },
  { long: "test", kind: "tests", key: "tests" },
];

/**
 * Expand a -C/-M list: comma-separated tokens `a[_len][-b][#step][xN]`: every `step`-th value from
 * a to b, each as a mask `len` wide (CPUs) and the whole token repeated N times.
 */
export function parseBindList(s: string, what: string): number[][] {
  const out: number[][] = [];
  for (const tok of s.split(",")) {
    const m = /^(\d+)(?:_(\d+))?(?:-(\d+))?(?:#(\d+))?(?:x(\d+))?$/.exec(tok.trim());
    if (!m) throw new WorkloadError(`perf bench numa: ${what}: '${tok}' is not N, N-M, N_LEN, N#STEP or NxCOUNT`);
    const a = Number(m[1]);
    const len = m[2] === undefined ? 1 : Number(m[2]);
    const b = m[3] === undefined ? a : Number(m[3]);
    const step = m[4] === undefined ? 1 : Number(m[4]);
    const times = m[5] === undefined ? 1 : Number(m[5]);
    if (b < a || step < 1 || len < 1 || times < 1) throw new WorkloadError(`perf bench numa: ${what}: '${tok}' is an empty range`);
    if (b + len > 4096 || out.length + Math.ceil((b - a + 1) / step) * times > HOST_LIMITS.tasks)
      throw new WorkloadError(`perf bench numa: ${what}: '${tok}' reaches beyond CPU or node 4095, or lists more than ${HOST_LIMITS.tasks} tasks`);
    const one: number[][] = [];
    for (let v = a; v <= b; v += step) one.push(Array.from({ length: len }, (_, i) => v + i));
    for (let i = 0; i < times; i++) out.push(...one);
  }
  return out;
}

/** Parse perf bench numa mem options (parse-options syntax: bundled short flags, --no-<bool>). */
export function parsePerfArgs(args: readonly string[], into: PerfParams = defaultPerfParams()): PerfParams {
  const p = into;
  const set = (o: Opt, value: string | undefined, neg = false) => {
    const bad = (what: string) =>
      new WorkloadError(`perf bench numa: option '${o.short ? `-${o.short}` : `--${o.long}`}' (${o.long}) expects ${what}, got '${value}'`);
    const rec = p as unknown as Record<string, unknown>;
    switch (o.kind) {
      case "bool":
        rec[o.key] = !neg;
        return;
      case "incr":
        rec[o.key] = (rec[o.key] as number) + 1;
        return;
      case "int":
      case "uint": {
        if (value === undefined || !/^-?\d+$/.test(value) || (o.kind === "uint" && value.startsWith("-")))
          throw bad(o.kind === "uint" ? "a whole number >= 0" : "a whole number");
        rec[o.key] = Number(value);
        return;
      }
      case "mb": {
        // perf reads these with atof(), so "1e3" is a size too; hex and words are refused here.
        const v = value !== undefined && /^\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value) ? Number(value) : NaN;
        if (!(v >= 0 && v < Infinity)) throw bad("a size in MB (a decimal, fractions and exponents allowed, e.g. 512, 0.5 or 1e3)");
        rec[o.key] = v;
        return;
      }
      case "cpus":
        if (value === undefined) throw bad("a CPU list");
        p.cpus = parseBindList(value, "-C");
        return;
      case "nodes":
        if (value === undefined) throw bad("a node list");
        p.nodes = parseBindList(value, "-M").map((m) => m[0]);
        return;
      case "tests":
        if (value === undefined) throw bad("suite test names");
        p.tests = value.split(",");
        return;
    }
  };
  const takesValue = (o: Opt) => o.kind !== "bool" && o.kind !== "incr";
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      let name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const neg = name.startsWith("no-") && !OPTIONS.some((o) => o.long === name);
      if (neg) name = name.slice(3);
      const o = OPTIONS.find((x) => x.long === name);
      if (!o) throw new WorkloadError(`perf bench numa: unknown option '--${name}'`);
      if (neg && o.kind !== "bool") throw new WorkloadError(`perf bench numa: '--no-${name}' is not a switch`);
      if (takesValue(o)) set(o, eq < 0 ? args[++i] : a.slice(eq + 1));
      else set(o, undefined, neg);
      continue;
    }
    if (!a.startsWith("-") || a.length < 2) throw new WorkloadError(`perf bench numa: unexpected argument '${a}'`);
    for (let j = 1; j < a.length; j++) {
      const o = OPTIONS.find((x) => x.short === a[j]);
      if (!o) throw new WorkloadError(`perf bench numa: unknown switch '-${a[j]}'`);
      if (takesValue(o)) {
        set(o, j + 1 < a.length ? a.slice(j + 1) : args[++i]);
        break;
      }
      set(o, undefined);
    }
  }
  if (p.nrProc < 1) throw new WorkloadError(`perf bench numa: -p (nr_proc) expects at least 1, got ${p.nrProc}`);
  if (p.nrThreads < 1) throw new WorkloadError(`perf bench numa: -t (nr_threads) expects at least 1, got ${p.nrThreads}`);
  ensureHostFits(
    `perf bench numa: -p ${p.nrProc} -t ${p.nrThreads}`,
    { processes: p.nrProc + 1, tasks: p.nrProc * (p.nrThreads + 1) + 1 },
    "use a smaller -p or -t",
  );
  if (p.mbProcLocked > p.mbProc) throw new WorkloadError(`perf bench numa: -L (mb_proc_locked) must be <= -P (mb_proc)`);
  if (!p.runAll && p.mbGlobal + p.mbProc + p.mbThread <= 0) throw new WorkloadError("perf bench numa: no memory to work on (give -G, -P or -T)");
  return p;
}

const OPT_BW_RAM = "-s 20 -zZq --thp 1 --no-data_rand_walk";
const OPT_CONV = "-s 100 -zZ0qcm --thp 1";
const OPT_BW = "-s 20 -zZ0q --thp 1";
const NOTHP = " --thp -1";

/** The built-in suite (perf bench numa mem -a), test name and arguments, exactly as in numa.c. */
export const PERF_SUITE: readonly (readonly [string, string])[] = [
  ["RAM-bw-local", `-p 1 -t 1 -P 1024 -C 0 -M 0 ${OPT_BW_RAM}`],
  ["RAM-bw-local-NOTHP", `-p 1 -t 1 -P 1024 -C 0 -M 0 ${OPT_BW_RAM}${NOTHP}`],
  ["RAM-bw-remote", `-p 1 -t 1 -P 1024 -C 0 -M 1 ${OPT_BW_RAM}`],
  ["RAM-bw-local-2x", `-p 2 -t 1 -P 1024 -C 0,2 -M 0x2 ${OPT_BW_RAM}`],
  ["RAM-bw-remote-2x", `-p 2 -t 1 -P 1024 -C 0,2 -M 1x2 ${OPT_BW_RAM}`],
  ["RAM-bw-cross", `-p 2 -t 1 -P 1024 -C 0,8 -M 1,0 ${OPT_BW_RAM}`],
  ["1x3-convergence", `-p 1 -t 3 -P 512 ${OPT_CONV}`],
  ["1x4-convergence", `-p 1 -t 4 -P 512 ${OPT_CONV}`],
  ["1x6-convergence", `-p 1 -t 6 -P 1020 ${OPT_CONV}`],
  ["2x3-convergence", `-p 3 -t 3 -P 1020 ${OPT_CONV}`],
  ["3x3-convergence", `-p 3 -t 3 -P 1020 ${OPT_CONV}`],
  ["4x4-convergence", `-p 4 -t 4 -P 512 ${OPT_CONV}`],
  ["4x4-convergence-NOTHP", `-p 4 -t 4 -P 512 ${OPT_CONV}${NOTHP}`],
  ["4x6-convergence", `-p 4 -t 6 -P 1020 ${OPT_CONV}`],
  ["4x8-convergence", `-p 4 -t 8 -P 512 ${OPT_CONV}`],
  ["8x4-convergence", `-p 8 -t 4 -P 512 ${OPT_CONV}`],
  ["8x4-convergence-NOTHP", `-p 8 -t 4 -P 512 ${OPT_CONV}${NOTHP}`],
  ["3x1-convergence", `-p 3 -t 1 -P 512 ${OPT_CONV}`],
  ["4x1-convergence", `-p 4 -t 1 -P 512 ${OPT_CONV}`],
  ["8x1-convergence", `-p 8 -t 1 -P 512 ${OPT_CONV}`],
  ["16x1-convergence", `-p 16 -t 1 -P 256 ${OPT_CONV}`],
  ["32x1-convergence", `-p 32 -t 1 -P 128 ${OPT_CONV}`],
  ["2x1-bw-process", `-p 2 -t 1 -P 1024 ${OPT_BW}`],
  ["3x1-bw-process", `-p 3 -t 1 -P 1024 ${OPT_BW}`],
  ["4x1-bw-process", `-p 4 -t 1 -P 1024 ${OPT_BW}`],
  ["8x1-bw-process", `-p 8 -t 1 -P 512 ${OPT_BW}`],
  ["8x1-bw-process-NOTHP", `-p 8 -t 1 -P 512 ${OPT_BW}${NOTHP}`],
  ["16x1-bw-process", `-p 16 -t 1 -P 256 ${OPT_BW}`],
  ["4x1-bw-thread", `-p 1 -t 4 -T 256 ${OPT_BW}`],
  ["8x1-bw-thread", `-p 1 -t 8 -T 256 ${OPT_BW}`],
  ["16x1-bw-thread", `-p 1 -t 16 -T 128 ${OPT_BW}`],
  ["32x1-bw-thread", `-p 1 -t 32 -T 64 ${OPT_BW}`],
  ["2x3-bw-thread", `-p 2 -t 3 -P 512 ${OPT_BW}`],
  ["4x4-bw-thread", `-p 4 -t 4 -P 512 ${OPT_BW}`],
  ["4x6-bw-thread", `-p 4 -t 6 -P 512 ${OPT_BW}`],
  ["4x8-bw-thread", `-p 4 -t 8 -P 512 ${OPT_BW}`],
  ["4x8-bw-thread-NOTHP", `-p 4 -t 8 -P 512 ${OPT_BW}${NOTHP}`],
  ["3x3-bw-thread", `-p 3 -t 3 -P 512 ${OPT_BW}`],
  ["5x5-bw-thread", `-p 5 -t 5 -P 512 ${OPT_BW}`],
  ["2x16-bw-thread", `-p 2 -t 16 -P 512 ${OPT_BW}`],
  ["1x32-bw-thread", `-p 1 -t 32 -P 2048 ${OPT_BW}`],
  ["numa02-bw", `-p 1 -t 32 -T 32 ${OPT_BW}`],
  ["numa02-bw-NOTHP", `-p 1 -t 32 -T 32 ${OPT_BW}${NOTHP}`],
  ["numa01-bw-thread", `-p 2 -t 16 -T 192 ${OPT_BW}`],
  ["numa01-bw-thread-NOTHP", `-p 2 -t 16 -T 192 ${OPT_BW}${NOTHP}`],
];

const words = (s: string) => s.split(/\s+/).filter(Boolean);

/** Per-task state shared between the tasks of one test (perf's shared `struct global_info`). */
interface TaskInfo {
  curCpu: number;
  loops: number;
  bytes: number;
  startNs: number;
  runtimeNs: number;
  pid: number;
}

interface TestState {
  name: string;
  p: PerfParams;
  tasks: TaskInfo[];
  stop: boolean;
  startNs: number;
  convergedAtNs: number;
  lastPrintNs: number;
  lines: string[];
  metrics: Record<string, number>;
  /** True once its result lines are printed. */
  finished: boolean;
}

/** The node counts and convergence verdict of numa.c's calc_convergence. */
function convergenceState(k: KernelInstance, st: TestState): { line: string; converged: boolean } {
  const { p } = st;
  const nodes = k.topology.nodes.length;
  const perNode = new Array<number>(nodes).fill(0);
  const procsOn = Array.from({ length: nodes }, () => new Set<number>());
  const spans = new Array<Set<number>>(p.nrProc);
  for (let i = 0; i < p.nrProc; i++) spans[i] = new Set();
  let loopsMin = Infinity;
  let loopsMax = 0;
  st.tasks.forEach((t, i) => {
    loopsMin = Math.min(loopsMin, t.loops);
    loopsMax = Math.max(loopsMax, t.loops);
    if (t.curCpu < 0) return;
    const n = k.topology.cpuToNode[t.curCpu];
    const proc = Math.floor(i / p.nrThreads);
    perNode[n]++;
    procsOn[n].add(proc);
    spans[proc].add(n);
  });
  const groups = procsOn.reduce((a, s) => a + s.size, 0);
  const distance = Math.max(...perNode) - Math.min(...perNode);
  const spanCounts = spans.map((s) => s.size);
  const strong = spanCounts.every((c) => c === 1);
  const converged = strong && groups === p.nrProc;
  const now = k.now();
  const elapsed = (now - st.startNs) / NSEC_PER_SEC;
  const pct = p.nrLoops > 0 ? (100 * loopsMax) / p.nrLoops : 0;
  let line = ` #  ${pct.toFixed(1).padStart(5)}%  [${(elapsed / 60).toFixed(1)} mins]`;
  for (let n = 0; n < nodes; n++) line += ` ${String(perNode[n]).padStart(2)}/${String(procsOn[n].size).padEnd(2)}`;
  line += ` [${String(distance).padStart(2)}/${String(groups).padEnd(2)}]`;
  const lmin = loopsMin === Infinity ? 0 : loopsMin;
  line += ` l:${String(lmin).padStart(3)}-${String(loopsMax).padEnd(3)} (${String(loopsMax - lmin).padStart(3)})`;
  line += ` [${(loopsMax > 0 ? (1 - lmin / loopsMax) * 100 : 0).toFixed(1).padStart(4)}%]`;
  if (!strong) line += ` {${Math.min(...spanCounts)}-${Math.max(...spanCounts)}}`;
  return { line, converged };
}

/** Build the worker thread program of task `nr` (process pnr, thread tnr). */
function workerThread(
  k: KernelInstance,
  st: TestState,
  nr: number,
  regions: { global: () => number; process: () => number },
  rngSeed: number,
  barrier: Barrier,
): Script {
  const { p } = st;
  const pnr = Math.floor(nr / p.nrThreads);
  const tnr = nr % p.nrThreads;
  const info = st.tasks[nr];
  const bytesGlobal = Math.floor(p.mbGlobal * MB);
  const bytesProc = Math.floor(p.mbProc * MB);
  const bytesThread = Math.floor(p.mbThread * MB);
  const perLoop = bytesGlobal + bytesProc + bytesThread + Math.floor(p.mbProcLocked * MB);
  let threadAddr = 0;
  let loop = 0;
  let val = rngSeed >>> 0;
  const last = nr === p.nrProc * p.nrThreads - 1;
  const steps: ScriptStep[] = [];
  // Bind to this task's CPUs and memory node (-C/-M), then allocate its private memory.
  steps.push(...bindSteps(k, p, nr));
  if (bytesThread > 0) steps.push(...allocSteps(k, p, bytesThread, (a) => (threadAddr = a)));
  if (p.serializeStartup) steps.push(barrier.step());
  steps.push(
    act((u) => {
      info.startNs = u.now();
      info.pid = u.task.pid;
      if (st.startNs < 0) st.startNs = u.now();
    }),
  );
  // One loop: do_work(global), do_work(process), do_work(thread), usleep, then bookkeeping.
  const work = (addr: () => number, bytes: number, wnr: number, wmax: number): ScriptStep => lazy(() => doWork(p, addr, bytes, wnr, wmax, loop, val));
  const body: ScriptStep[] = [];
  if (bytesGlobal > 0) body.push(work(regions.global, bytesGlobal, pnr, p.nrProc));
  if (bytesProc > 0) body.push(work(regions.process, bytesProc, tnr, p.nrThreads));
  if (bytesThread > 0) body.push(work(() => threadAddr, bytesThread, 0, 1));
  if (p.sleepUsecs > 0) body.push(sleepFor(p.sleepUsecs * 1000));
  let pc = 0;
  let perturbAt = p.perturbSecs > 0 ? -1 : Infinity;
  let restoreMask = -1n;
  steps.push((u) => {
    for (;;) {
      if (pc === 0) {
        const elapsed = u.now() - info.startNs;
        if (st.stop || (p.nrLoops >= 0 && loop >= p.nrLoops) || elapsed >= p.nrSecs * NSEC_PER_SEC) {
          info.runtimeNs = u.now() - info.startNs;
          return "next";
        }
      }
      while (pc < body.length) {
        if (u.budgetLeft() <= 0) return "again";
        const r = body[pc](u);
        if (r === "next") pc++;
        else return r;
      }
      pc = 0;
      loop++;
      val = (Math.imul(val, 1103515245) + 12345) >>> 0;
      info.loops = loop;
      info.bytes += perLoop;
      info.curCpu = u.getcpu().cpu;
      if (restoreMask >= 0n) {
        u.schedSetaffinity(0, restoreMask);
        restoreMask = -1n;
      }
      if (nr === 0 && p.perturbSecs > 0) {
        if (perturbAt < 0) perturbAt = u.now() + p.perturbSecs * NSEC_PER_SEC;
        if (u.now() >= perturbAt) {
          // Jump to the other half of the machine for a moment (convergence stability test).
          const target = info.curCpu < k.topology.nrCpus / 2 ? k.topology.nrCpus - 1 : 0;
          restoreMask = u.schedGetaffinity(0);
          u.schedSetaffinity(0, 1n << BigInt(target));
          perturbAt = u.now() + p.perturbSecs * NSEC_PER_SEC;
        }
      }
      if (last && u.now() - st.lastPrintNs >= NSEC_PER_SEC) {
        st.lastPrintNs = u.now();
        if (p.showConvergence || p.measureConvergence) {
          const { line, converged } = convergenceState(k, st);
          let out = line;
          if (converged) {
            if (st.convergedAtNs < 0) st.convergedAtNs = u.now();
            out += ` (${((u.now() - st.startNs) / NSEC_PER_SEC).toFixed(1).padStart(6)}s converged)`;
            if (p.measureConvergence) st.stop = true;
          } else if (st.convergedAtNs >= 0) {
            out += ` (${((u.now() - st.startNs) / NSEC_PER_SEC).toFixed(1).padStart(6)}s de-converged)`;
            st.convergedAtNs = -1;
          }
          if (p.showConvergence) st.lines.push(out);
        }
      }
      if (u.budgetLeft() <= 0) return "again";
    }
  });
  return new Script(steps);
}

/** numa.c do_work on one region for one loop. */
function doWork(p: PerfParams, addr: () => number, bytes: number, nr: number, nrMax: number, loop: number, val: number): ScriptStep {
  const write = p.dataWrites || p.dataZeroMemset;
  if (p.dataZeroMemset && !p.dataRandWalk) return sweep(addr, bytes, { loops: 1 });
  if (p.dataRandWalk) return chunkedWalk(addr, bytes, () => (nr + loop + val) >>> 0, { loops: 1, write });
  const pages = Math.max(1, Math.floor(bytes / 4096));
  const wordsN = Math.floor(bytes / 8);
  let off = nr * Math.floor(wordsN / nrMax);
  if (p.nrLoops > 0) off += loop * Math.floor(wordsN / p.nrLoops);
  const startPage = Math.floor(((off % wordsN) * 8) / 4096) % pages;
  return sweep(addr, bytes, { loops: 1, write, backward: p.dataBackwards && (nr + loop) % 2 === 1, startPage: () => startPage });
}

/** Why -C/-M cannot be honoured on this machine, or null. */
function bindProblem(k: KernelInstance, p: PerfParams): string | null {
  for (const cpus of p.cpus) for (const c of cpus) if (c >= k.topology.nrCpus) return `-C: CPU ${c} does not exist (this machine has ${k.topology.nrCpus})`;
  for (const n of p.nodes) if (n >= k.topology.nodes.length) return `-M: node ${n} does not exist (this machine has ${k.topology.nodes.length})`;
  return null;
}

/**
 * Why a test's memory does not fit this machine, in perf's terms, or null. Every task's memory is
 * faulted in: -G once (shared by every process), -P per process, -T per thread. Memory initialised
 * under -0 is bound to node 0, and a task's memory to its -M node (a process's -P to the node of its
 * first thread, which initialises it with -z or -I).
 */
function memoryProblem(k: KernelInstance, p: PerfParams, scale: number): string | null {
  const map = (mb: number) => (mb > 0 ? mappingBytes(Math.floor(mb * MB)) : 0);
  const global = map(p.mbGlobal); // one shared mapping, initialised by the launcher
  const perProc = map(p.mbProc);
  const perThread = map(p.mbThread);
  const init = p.initZero || p.initRandom;
  const bound = new Map<number, number>();
  const bind = (node: number | undefined, bytes: number) => {
    if (node !== undefined && bytes > 0) bound.set(node, (bound.get(node) ?? 0) + bytes);
  };
  for (let pnr = 0; pnr < p.nrProc; pnr++) {
    bind(p.initCpu0 && init ? 0 : init ? p.nodes[pnr * p.nrThreads] : undefined, perProc);
    for (let t = 0; t < p.nrThreads; t++) bind(p.initCpu0 && init ? 0 : p.nodes[pnr * p.nrThreads + t], perThread);
  }
  const sizes = (
    [
      ["-G", p.mbGlobal],
      ["-P", p.mbProc],
      ["-T", p.mbThread],
    ] as const
  )
    .filter(([, mb]) => mb > 0)
    .map(([o, mb]) => `${o} ${Number(mb.toFixed(3))}`);
  const what = `-p ${p.nrProc} -t ${p.nrThreads} ${sizes.join(" ")} (MB${scale === 1 ? "" : `, at scale ${scale}`})`;
  const fixes = (room: number) => [`smaller -G, -P or -T, or fewer -p or -t (${Math.floor(room / MB)} MB fit${p.initCpu0 && init ? ", or no -0" : ""})`];
  bind(p.initCpu0 && init ? 0 : undefined, global);
  const total = global + p.nrProc * perProc + p.nrProc * p.nrThreads * perThread;
  let why = fitProblem(k, total, what, fixes);
  for (const [node, bytes] of bound) why ??= fitProblem(k, bytes, what, fixes, [node]);
  return why;
}

/** bind_to_memnode / bind_to_cpumask for task nr (the first tasks listed in -C / -M). */
function bindSteps(k: KernelInstance, p: PerfParams, nr: number): ScriptStep[] {
  const steps: ScriptStep[] = [];
  const cpus = p.cpus[nr];
  if (cpus) {
    let mask = 0n;
    for (const c of cpus) {
      if (c >= k.topology.nrCpus) throw new WorkloadError(`perf bench numa: -C: CPU ${c} does not exist (this machine has ${k.topology.nrCpus})`);
      mask |= 1n << BigInt(c);
    }
    steps.push(call("sched_setaffinity", (u) => u.schedSetaffinity(0, mask)));
  }
  const node = p.nodes[nr];
  if (node !== undefined) {
    if (node >= k.topology.nodes.length)
      throw new WorkloadError(`perf bench numa: -M: node ${node} does not exist (this machine has ${k.topology.nodes.length})`);
    steps.push(call("set_mempolicy", (u) => u.setMempolicy(MPOL_BIND, nodeMask(node), 64)));
  }
  return steps;
}

/**
 * alloc_data: mmap bytes + 2 MiB, align to 2 MiB, madvise per --thp, then (with -0) bind to node 0
 * and its CPUs for the initialisation (-z zeroes, -I fills with random words: both write every page).
 */
function allocSteps(k: KernelInstance, p: PerfParams, bytes: number, got: (addr: number) => void, share: number = MAP_PRIVATE): ScriptStep[] {
  let addr = 0;
  const steps: ScriptStep[] = [
    call("mmap", (u) => {
      const raw = u.mmap(0, bytes + TWO_MIB, PROT_READ | PROT_WRITE, share | MAP_ANONYMOUS);
      if (raw >= 0) got((addr = Math.ceil(raw / TWO_MIB) * TWO_MIB));
      return raw;
    }),
  ];
  // THP advice on shared memory is EINVAL in 3.7 (perf warns once and goes on): only private memory gets it.
  if (p.thp !== 0 && share === MAP_PRIVATE) steps.push(call("madvise", (u) => u.madvise(addr, bytes, p.thp > 0 ? MADV_HUGEPAGE : MADV_NOHUGEPAGE)));
  if (p.initZero || p.initRandom) {
    let savedMask = 0n;
    let savedPolicy = { mode: MPOL_DEFAULT, nodemask: 0n };
    if (p.initCpu0) {
      const cpu0 = nodesCpuMask(k, [0]);
      steps.push(
        act((u) => {
          savedMask = u.schedGetaffinity(0);
          const out = { mode: 0, nodemask: 0n };
          u.getMempolicy(out, MAX_NUMNODES, 0, 0);
          savedPolicy = out;
        }),
        call("sched_setaffinity", (u) => u.schedSetaffinity(0, cpu0)),
        call("set_mempolicy", (u) => u.setMempolicy(MPOL_BIND, nodeMask(0), 64)),
      );
    }
    steps.push(lazy(() => sweep(() => addr, bytes, { loops: 1 })));
    if (p.initCpu0)
      steps.push(
        call("set_mempolicy", (u) => u.setMempolicy(savedPolicy.mode, savedPolicy.mode === MPOL_DEFAULT ? null : savedPolicy.nodemask, 64)),
        call("sched_setaffinity", (u) => u.schedSetaffinity(0, savedMask)),
      );
  }
  return steps;
}

/** Scale a test's memory sizes (--scale), keeping at least one page. */
function scaled(p: PerfParams, scale: number): PerfParams {
  if (scale === 1) return p;
  const s = (mb: number) => (mb > 0 ? Math.max(4096 / MB, mb * scale) : 0);
  return { ...p, mbGlobal: s(p.mbGlobal), mbProc: s(p.mbProc), mbProcLocked: s(p.mbProcLocked), mbThread: s(p.mbThread) };
}

/** Run one test: the launcher forks nr_proc processes, each starts nr_threads threads. */
function testSteps(k: KernelInstance, st: TestState): ScriptStep[] {
  const { p } = st;
  const nrTasks = p.nrProc * p.nrThreads;
  const barrier = new Barrier(nrTasks);
  const children: number[] = [];
  const seeds = k.rng.fork();
  const procs: Script[] = [];
  // The global region (-G): one MAP_SHARED mapping the launcher makes (and initialises) before it
  // forks the processes, which all map it through fork.
  let globalAddr = 0;
  for (let pnr = 0; pnr < p.nrProc; pnr++) {
    let procAddr = 0;
    const regions = { global: () => globalAddr, process: () => procAddr };
    const tids: number[] = [];
    const threads = Array.from({ length: p.nrThreads }, (_, t) => workerThread(k, st, pnr * p.nrThreads + t, regions, seeds.u32(), barrier));
    const steps: ScriptStep[] = [...bindSteps(k, p, pnr * p.nrThreads)];
    if (p.mbProc > 0) steps.push(...allocSteps(k, p, Math.floor(p.mbProc * MB), (a) => (procAddr = a)));
    steps.push(
      act((u) => {
        for (let t = 0; t < p.nrThreads; t++) tids.push(u.cloneThread(threads[t], "perf"));
      }),
      join(() => tids),
    );
    procs.push(new Script(steps));
  }
  return [
    ...(p.mbGlobal > 0 ? allocSteps(k, p, Math.floor(p.mbGlobal * MB), (a) => (globalAddr = a), MAP_SHARED) : []),
    act((u) => {
      st.startNs = -1;
      st.lastPrintNs = u.now();
      for (const s of procs) children.push(u.fork(s, "perf"));
    }),
    join(() => children),
    act((u) => {
      finishTest(st, u);
    }),
  ];
}

/** The result lines (print_res) of a finished test. */
function finishTest(st: TestState, _u: UserApi): void {
  resultLines(
    st,
    st.tasks.map((t) => t.runtimeNs / NSEC_PER_SEC),
  );
  st.finished = true;
}

/**
 * A test stopped by the run's time cap before its end: perf's result lines over the window that
 * ran (each task's runtime so far and the bytes it processed), after a line saying so.
 */
function partialResult(st: TestState, nowNs: number): void {
  const started = st.tasks.filter((t) => t.pid > 0);
  if (st.finished) return;
  if (started.length === 0) {
    if (st.name) st.lines.push(` # ${st.name}: not run: the time cap came first`);
    st.finished = true;
    return;
  }
  const runtime = st.tasks.map((t) => (t.pid === 0 ? 0 : t.runtimeNs > 0 ? t.runtimeNs : nowNs - t.startNs) / NSEC_PER_SEC);
  st.lines.push(
    ` # ${st.name ? `${st.name}: ` : ""}stopped by the time cap after ${Math.max(...runtime).toFixed(3)} s of its -s ${st.p.nrSecs}: the figures below are over what ran`,
  );
  resultLines(st, runtime);
  st.finished = true;
}

/** print_res: the result lines and metrics from each task's runtime (seconds) and bytes. */
function resultLines(st: TestState, rt: number[]): void {
  const { p, name } = st;
  const n = st.tasks.length;
  const max = Math.max(...rt);
  const min = Math.min(...rt);
  const avg = rt.reduce((a, b) => a + b, 0) / n;
  const bytes = st.tasks.reduce((a, t) => a + t.bytes, 0);
  const res: [number, string, string, string][] = [];
  if (p.measureConvergence) res.push([max, "secs,", "NUMA-convergence-latency", "secs latency to NUMA-converge"]);
  res.push(
    [max, "secs,", "runtime-max/thread", "secs slowest (max) thread-runtime"],
    [min, "secs,", "runtime-min/thread", "secs fastest (min) thread-runtime"],
    [avg, "secs,", "runtime-avg/thread", "secs average thread-runtime"],
    [max > 0 ? ((max - min) / 2 / max) * 100 : 0, "%,", "spread-runtime/thread", "% difference between max/avg runtime"],
    [bytes / n / 1e9, "GB,", "data/thread", "GB data processed, per thread"],
    [bytes / 1e9, "GB,", "data-total", "GB data processed, total"],
    [bytes > 0 ? (max * 1e9) / (bytes / n) : 0, "nsecs,", "runtime/byte/thread", "nsecs/byte/thread runtime"],
    [max > 0 ? bytes / n / 1e9 / max : 0, "GB/sec,", "thread-speed", "GB/sec/thread speed"],
    [max > 0 ? bytes / 1e9 / max : 0, "GB/sec,", "total-speed", "GB/sec total speed"],
  );
  if (!p.showQuiet) st.lines.push("", ` ###`, ` # ${name}: ${p.nrProc}x${p.nrThreads}, ${((p.mbGlobal + p.mbProc + p.mbThread) * n).toFixed(0)} MB`, ` ###`);
  for (const [v, unit, short, long] of res) {
    st.lines.push(p.showQuiet ? ` ${name.padEnd(30)} ${v.toFixed(3).padStart(15)}, ${unit.padEnd(15)} ${short}` : ` ${v.toFixed(3).padStart(14)} ${long}`);
    st.metrics[`${name ? `${name} ` : ""}${short} ${unit.replace(",", "")}`] = Number(v.toFixed(6));
  }
}

function newTest(name: string, p: PerfParams): TestState {
  const n = p.nrProc * p.nrThreads;
  return {
    name,
    p,
    tasks: Array.from({ length: n }, () => ({ curCpu: -1, loops: 0, bytes: 0, startNs: 0, runtimeNs: 0, pid: 0 })),
    stop: false,
    startNs: -1,
    convergedAtNs: -1,
    lastPrintNs: 0,
    lines: [],
    metrics: {},
    finished: false,
  };
}

/** Start perf bench numa mem with these arguments: one test, or the suite with -a. */
export function startPerfBenchNuma(
  k: KernelInstance,
  args: readonly string[],
  scale = 1,
  custom?: readonly { name: string; args: string; secs?: number }[],
): StartedWorkload {
  const top = parsePerfArgs(args.length === 0 ? ["-a"] : args);
  const tests: TestState[] = [];
  const skipped: string[] = [];
  if (custom)
    for (const c of custom)
      tests.push(newTest(c.name, { ...scaled(parsePerfArgs(words(c.args)), scale), ...(c.secs === undefined ? {} : { nrSecs: c.secs }) }));
  else if (top.runAll || top.tests.length > 0) {
    const wanted = top.tests.length > 0 ? top.tests : PERF_SUITE.map(([n]) => n);
    for (const name of wanted) {
      const t = PERF_SUITE.find(([n]) => n === name);
      if (!t) throw new WorkloadError(`perf bench numa: --test: no suite test '${name}'; see docs/workloads.md for the list`);
      const p = scaled(parsePerfArgs(words(t[1])), scale);
      const why = bindProblem(k, p) ?? memoryProblem(k, p, scale);
      // The whole suite skips what this machine cannot place (e.g. CPU 8 on a 2x4 machine); a
      // test asked for by name must run.
      if (why && top.tests.length === 0) skipped.push(` # ${name}: skipped: ${why}`);
      else if (why) throw new WorkloadError(`perf bench numa: ${name}: ${why}`);
      else tests.push(newTest(name, p));
    }
    if (tests.length === 0)
      throw new WorkloadError(`perf bench numa: no test of the suite can run on this machine; the first, ${skipped[0].slice(3).replace(": skipped: ", ": ")}`);
  } else tests.push(newTest("", scaled(top, scale)));
  for (const t of tests) {
    const why = bindProblem(k, t.p) ?? memoryProblem(k, t.p, scale);
    if (why) throw new WorkloadError(`perf bench numa: ${t.name ? `${t.name}: ` : ""}${why}`);
  }
  const steps: ScriptStep[] = [];
  for (const st of tests)
    steps.push(
      lazy(() => {
        const test = testSteps(k, st);
        return sequence(test.length, (i) => test[i]);
      }),
    );
  const launcher = k.createProcess({ comm: "perf", program: new Script(steps) });
  return {
    scale,
    tasks: [launcher],
    progress: () => {
      // Each test counts alike: its share of -s seconds (or -l loops) done, whichever is further.
      const share = (t: TestState) => {
        if (t.finished) return 1;
        if (t.startNs < 0) return 0;
        const byTime = (k.time - t.startNs) / (t.p.nrSecs * NSEC_PER_SEC);
        const byLoops = t.p.nrLoops > 0 ? Math.min(...t.tasks.map((x) => x.loops)) / t.p.nrLoops : 0;
        return Math.min(1, Math.max(byTime, byLoops));
      };
      return tests.reduce((a, t) => a + share(t), 0) / tests.length;
    },
    score: (kk) => {
      for (const t of tests) partialResult(t, kk.time);
      const sc = scoreOf(tests);
      return { metrics: sc.metrics, lines: [...skipped, ...sc.lines] };
    },
  };
}

function scoreOf(tests: TestState[]): WorkloadScore {
  const metrics: Record<string, number> = {};
  const lines: string[] = [];
  for (const t of tests) {
    Object.assign(metrics, t.metrics);
    lines.push(...t.lines);
  }
  return { metrics, lines };
}

export const perfBenchNuma: Workload = {
  name: "perf-numa-mem",
  description: "perf bench numa mem: p processes x t threads over global/process/thread memory, GB/s and convergence time (-a: the suite)",
  usage: "perf bench numa mem options, e.g. -- -p 2 -t 4 -P 512 -s 5 -zZ0qcm; -- -a for the suite; -- --test RAM-bw-local,4x4-convergence",
  defaultSeconds: 3600,
  start(k, ctx) {
    return startPerfBenchNuma(k, ctx.args, ctx.scale ?? 1);
  },
};
