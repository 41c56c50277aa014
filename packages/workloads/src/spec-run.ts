/**
 * Run a workload spec (a validated workload file, or a built-in generated as one): every process,
 * thread and phase becomes a Script of the same building blocks the other built-ins use.
 */
import {
  MADV_HUGEPAGE,
  MADV_NOHUGEPAGE,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_BIND,
  MPOL_DEFAULT,
  MPOL_INTERLEAVE,
  MPOL_LOCAL,
  MPOL_PREFERRED,
  NSEC_PER_SEC,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  TOUCH_STREAM,
  nodeMask,
  type Task,
  type UserApi,
} from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { scaledBytes } from "./footprint.js";
import {
  Barrier,
  Script,
  act,
  lazy,
  call,
  chunkedWalk,
  computeFor,
  hotSetPages,
  join,
  randomPages,
  sequence,
  sleepFor,
  sweep,
  type ScriptStep,
} from "@balancenuma/userspace";
import type { Access, CpuSet, Phase, Policy, Region, WorkloadSpec } from "./spec.js";
import { checkSpecOnMachine } from "./spec-checks.js";
import type { WorkloadScore } from "./workload.js";

const TWO_MIB = 2 * 1024 * 1024;

/** CPUs of some nodes as an affinity mask. */
export function nodesCpuMask(k: KernelInstance, nodes: readonly number[]): bigint {
  let m = 0n;
  for (const n of nodes) for (const c of k.topology.nodes[n].cpus) m |= 1n << BigInt(c);
  return m;
}

/** Resolve a CpuSet on this machine (checked beforehand by checkSpecOnMachine). */
function cpuMask(k: KernelInstance, s: CpuSet): bigint {
  if (s === "all") return (1n << BigInt(k.topology.nrCpus)) - 1n;
  if (Array.isArray(s)) return s.reduce((m, c) => m | (1n << BigInt(c)), 0n);
  return nodesCpuMask(k, s.nodes);
}

/** set_mempolicy / mbind arguments for a policy. */
function policyArgs(p: Policy): { mode: number; mask: bigint | null } {
  switch (p.mode) {
    case "default":
      return { mode: MPOL_DEFAULT, mask: null };
    case "local":
      return { mode: MPOL_LOCAL, mask: null };
    case "bind":
      return { mode: MPOL_BIND, mask: nodeMask(...p.nodes) };
    case "interleave":
      return { mode: MPOL_INTERLEAVE, mask: nodeMask(...p.nodes) };
    case "preferred":
      return { mode: MPOL_PREFERRED, mask: nodeMask(...p.nodes) };
  }
}

/** Where a thread's named regions are once mapped. */
type RegionTable = Map<string, { addr: number; bytes: number }>;

/** A thread's own regions, falling back to its process's (mapped later, by the main thread). */
class ScopedTable extends Map<string, { addr: number; bytes: number }> {
  constructor(private readonly parent: RegionTable) {
    super();
  }
  override get(name: string) {
    return super.get(name) ?? this.parent.get(name);
  }
}

/** mmap a region (2 MiB aligned, as perf bench numa and glibc's large mallocs on THP kernels give), then madvise and mbind it. */
function mapRegion(r: Region, table: RegionTable, scale: number): ScriptStep[] {
  const bytes = scaledBytes(r.size, scale);
  const steps: ScriptStep[] = [
    call(`mmap ${r.name}`, (u) => {
      const raw = u.mmap(0, bytes + TWO_MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
      if (raw >= 0) table.set(r.name, { addr: Math.ceil(raw / TWO_MIB) * TWO_MIB, bytes });
      return raw;
    }),
  ];
  if (r.thp !== "default")
    steps.push(call(`madvise ${r.name}`, (u) => u.madvise(table.get(r.name)!.addr, bytes, r.thp === "hugepage" ? MADV_HUGEPAGE : MADV_NOHUGEPAGE)));
  if (r.policy) {
    const { mode, mask } = policyArgs(r.policy);
    steps.push(call(`mbind ${r.name}`, (u) => u.mbind(table.get(r.name)!.addr, bytes, mode, mask, 64, 0)));
  }
  return steps;
}

interface ThreadCtx {
  k: KernelInstance;
  table: RegionTable;
  /** This thread's index among the process's worker threads, and their number. */
  index: number;
  of: number;
  barrier: Barrier | null;
  /** Called after each whole pass of an access. */
  onPass?: () => void;
}

/**
 * The passes of a spec's worker threads (every pass of every access they make, first touches
 * included): per thread, how many are done and how many there are in all (Infinity when an access
 * runs for ever). Progress and the passes-per-thread score read it.
 */
export class PassTally {
  readonly done: number[] = [];
  readonly total: number[] = [];

  /** The share of all passes done, 0..1 (0 when some thread's passes never end). */
  fraction(): number {
    const total = this.total.reduce((a, b) => a + b, 0);
    return total > 0 && Number.isFinite(total) ? this.done.reduce((a, b) => a + b, 0) / total : 0;
  }
}

/** How many passes an access makes: its loops (Infinity for ever). */
const accessPasses = (a: Access): number => (a.loops === "forever" ? Infinity : a.loops);

/** The [addr, bytes) an access works on, once the regions are mapped. */
function accessRange(a: Access, ctx: ThreadCtx): () => { addr: number; bytes: number } {
  return () => {
    const r = ctx.table.get(a.region)!;
    if (a.slice === undefined) return r;
    const [i, of] = a.slice === "thread" ? [ctx.index, ctx.of] : [a.slice.index, a.slice.of];
    const per = Math.floor(r.bytes / of / 4096) * 4096;
    return { addr: r.addr + i * per, bytes: Math.max(4096, per) };
  };
}

function accessStep(a: Access, ctx: ThreadCtx): ScriptStep {
  const range = accessRange(a, ctx);
  const loops = a.loops === "forever" ? Infinity : a.loops;
  const kind = a.kind === "latency" ? TOUCH_LATENCY : TOUCH_STREAM;
  let inner: ScriptStep | null = null;
  let deadline = -1;
  const keepGoing = a.seconds === undefined ? undefined : () => now() < deadline;
  let api: UserApi | null = null;
  const now = () => api!.now();
  // Built when the phase starts, once its region is mapped: the range is fixed from then on.
  const build = ({ addr: start, bytes }: { addr: number; bytes: number }): ScriptStep => {
    const addr = () => start;
    const common = { loops, write: a.write, kind, keepGoing, onLoop: ctx.onPass };
    const pages = Math.max(1, Math.floor(bytes / 4096));
    switch (a.pattern) {
      case "sequential":
        return sweep(addr, bytes, { ...common, backward: a.backward, bytesPerPage: a.bytesPerTouch });
      case "random":
        return randomPages(addr, bytes, ctx.k.rng.fork(), a.touchesPerLoop ?? pages, { ...common, bytesPerTouch: a.bytesPerTouch });
      case "hot-set":
        return hotSetPages(addr, bytes, ctx.k.rng.fork(), a.touchesPerLoop ?? pages, a.hotFraction, a.hotProbability, {
          ...common,
          bytesPerTouch: a.bytesPerTouch,
        });
      case "chunked-walk":
        return chunkedWalk(addr, bytes, (pass) => ctx.index + pass + 1, { ...common, chunkBytes: a.chunkBytes });
    }
  };
  return (u) => {
    api = u;
    if (!inner) {
      inner = build(range());
      if (a.seconds !== undefined) deadline = u.now() + a.seconds * NSEC_PER_SEC;
    }
    const r = inner(u);
    if (r === "next") {
      inner = null;
      deadline = -1;
    }
    return r;
  };
}

/** The step of one phase, built when the phase starts. */
function phaseStep(p: Phase, ctx: ThreadCtx): ScriptStep {
  if ("access" in p) return accessStep(p.access, ctx);
  if ("mempolicy" in p) {
    const { mode, mask } = policyArgs(p.mempolicy);
    return call("set_mempolicy", (u) => u.setMempolicy(mode, mask, 64));
  }
  if ("affinity" in p) {
    const m = cpuMask(ctx.k, p.affinity);
    return call("sched_setaffinity", (u) => u.schedSetaffinity(0, m));
  }
  if ("sleep" in p) return sleepFor(p.sleep * NSEC_PER_SEC);
  if ("compute" in p) return computeFor(p.compute * NSEC_PER_SEC);
  return (u) => (ctx.barrier ? ctx.barrier.step()(u) : "next");
}

/** A thread's phases in order, each built when reached: host memory per thread does not grow with them. */
const phasesStep = (phases: readonly Phase[], ctx: ThreadCtx): ScriptStep => sequence(phases.length, (i) => phaseStep(phases[i], ctx));

/**
 * Start every process of a spec on a booted kernel; returns the processes' main tasks. First checks,
 * before anything runs, that its CPUs and nodes exist on this machine and that its memory fits.
 * `askedScale` is the --scale messages speak of, when the spec's sizes come already scaled
 * (autonumabench generates them so).
 */
export function startSpec(k: KernelInstance, spec: WorkloadSpec, scale = 1, askedScale = scale, tally?: PassTally): Task[] {
  checkSpecOnMachine(k, spec, scale, askedScale);
  const leaders: Task[] = [];
  for (const p of spec.processes) {
    const workers = p.threads.reduce((a, g) => a + g.count, 0);
    const procMask = p.cpus === undefined ? undefined : cpuMask(k, p.cpus);
    for (let copy = 0; copy < p.count; copy++) {
      const table: RegionTable = new Map();
      const barrier = workers > 0 ? new Barrier(workers) : null;
      const steps: ScriptStep[] = [];
      if (p.mempolicy) {
        const { mode, mask } = policyArgs(p.mempolicy);
        steps.push(call("set_mempolicy", (u) => u.setMempolicy(mode, mask, 64)));
      }
      for (const r of p.regions) steps.push(...mapRegion(r, table, scale));
      for (const r of p.regions)
        if (r.firstTouch === "main") steps.push(lazy(() => sweep(() => table.get(r.name)!.addr, table.get(r.name)!.bytes, { loops: 1 })));
      steps.push(phasesStep(p.main, { k, table, index: 0, of: 1, barrier: null }));
      const tids: number[] = [];
      let index = 0;
      const programs: { comm: string; script: Script }[] = [];
      for (const g of p.threads) {
        const gMask = g.cpus === undefined ? undefined : cpuMask(k, g.cpus);
        const gPolicy = g.mempolicy ? policyArgs(g.mempolicy) : null;
        for (let t = 0; t < g.count; t++) {
          const own = new ScopedTable(table);
          const slot = tally ? tally.done.push(0) - 1 : -1;
          const ctx: ThreadCtx = { k, table: own, index: index++, of: workers, barrier, onPass: tally && (() => tally.done[slot]++) };
          const ts: ScriptStep[] = [];
          let passes = 0;
          if (gMask !== undefined) ts.push(call("sched_setaffinity", (u) => u.schedSetaffinity(0, gMask)));
          if (gPolicy) ts.push(call("set_mempolicy", (u) => u.setMempolicy(gPolicy.mode, gPolicy.mask, 64)));
          for (const r of g.regions) ts.push(...mapRegion(r, own, scale));
          for (const r of [...p.regions, ...g.regions])
            if (r.firstTouch === "each-thread" || (r.firstTouch === "main" && g.regions.includes(r))) {
              ts.push(accessStep({ ...ONCE, region: r.name, slice: g.regions.includes(r) ? undefined : "thread" }, ctx));
              passes++;
            }
          for (const ph of g.phases) if ("access" in ph) passes += accessPasses(ph.access);
          tally?.total.push(passes);
          ts.push(phasesStep(g.phases, ctx));
          programs.push({ comm: g.name ?? p.name, script: new Script(ts) });
        }
      }
      if (programs.length > 0) {
        steps.push(
          act((u) => {
            for (const { comm, script } of programs) tids.push(u.cloneThread(script, comm));
          }),
        );
        steps.push(join(() => tids));
      }
      leaders.push(k.createProcess({ comm: p.name, program: new Script(steps), cpusAllowed: procMask }));
    }
  }
  return leaders;
}

/** One sequential write pass (first touch). */
const ONCE: Omit<Access, "region"> = {
  pattern: "sequential",
  loops: 1,
  write: true,
  backward: false,
  bytesPerTouch: 4096,
  kind: "stream",
  hotFraction: 0.1,
  hotProbability: 0.9,
  chunkBytes: 8192,
};

/**
 * The score of a spec workload (autonumabench, workload files). autonumabench is judged by its
 * elapsed time, which means nothing for a run stopped by a time cap; this is the work over the
 * window that ran, comparable across kernels whatever the cap: the passes each worker thread made
 * over its memory (its first touch included) and the passes per second of all threads together.
 */
export function passesScore(name: string, tally: PassTally, seconds: number): WorkloadScore {
  const done = tally.done;
  const totals = [...new Set(tally.total)].sort((a, b) => a - b);
  const of = totals.length === 0 || !Number.isFinite(totals.at(-1)!) ? "" : ` of ${totals.length === 1 ? totals[0] : `${totals[0]}-${totals.at(-1)}`}`;
  const sum = done.reduce((a, b) => a + b, 0);
  const mean = done.length ? sum / done.length : 0;
  const min = done.length ? Math.min(...done) : 0;
  const max = done.length ? Math.max(...done) : 0;
  const rate = seconds > 0 ? sum / seconds : 0;
  const all = done.every((d, i) => d >= tally.total[i]);
  return {
    metrics: { "passes/thread": Number(mean.toFixed(3)), "passes/thread min": min, "passes/thread max": max, "passes/sec": Number(rate.toFixed(3)) },
    lines: [
      ` ${name}: ${done.length} threads, passes per thread ${min === max ? String(min) : `${min}-${max} (mean ${mean.toFixed(1)})`}${of} in ${seconds.toFixed(3)} s: ${rate.toFixed(1)} passes/s${all ? "" : ", stopped by the time cap before the end"}`,
    ],
  };
}
