import {
  COST_PROFILES,
  MemoryBus,
  parseTopology,
  type CostProfile,
  type Topology,
} from "@balancenuma/machine";
import {
  PAGE_SIZE,
  PageFrames,
  Rng,
  RUN_BLOCKED,
  TASK_DEAD,
  TASK_INTERRUPTIBLE,
  TASK_RUNNING,
  TICK_NSEC,
  PF_EXITING,
  createSimLock,
  makeTask,
  nodeMask,
  type AnonVma,
  type CpuState,
  type Features,
  type Futex,
  type Kernel,
  type LockKind,
  type MmStruct,
  type RunResult,
  type PageAllocOps,
  type SchedOps,
  type SchedTunables,
  type SimLock,
  type Task,
  type UserApi,
  type UserProgram,
} from "@balancenuma/include-linux";
import { newVmCounters } from "@balancenuma/vmstat";
import { featuresAtStep } from "@balancenuma/series";
import { createPageAllocOps } from "@balancenuma/mm-page-alloc";
import { createMemoryOps } from "@balancenuma/mm-memory";
import { createHugeMemoryOps } from "@balancenuma/mm-huge-memory";
import { createRmapOps } from "@balancenuma/mm-rmap";
import { createMigrateOps } from "@balancenuma/mm-migrate";
import { createMempolicyOps } from "@balancenuma/mm-mempolicy";
import { createMprotectOps } from "@balancenuma/mm-mprotect";
import { createSchedOps } from "@balancenuma/sched-fair";
import { createTlbOps } from "@balancenuma/arch-x86-pgtable";
import { Sysctls, type SysctlDef } from "./sysctl.js";
import { TraceBuffer } from "./tracer.js";
import { SLEEPER, TaskApi } from "./user-api.js";
import { checkInvariants } from "./invariants.js";
import { DEFAULT_QUANTUM_NS, EventLoop } from "./event-loop.js";

export interface BootOptions {
  /** A preset name or a --topology string; default "default". */
  topology?: string;
  /** Series step the kernel is built at (0 = Linux 3.7-rc6). */
  step?: number;
  /** Gates to force after the step is applied (tests, and clearly named CLI options). */
  features?: Partial<Features>;
  seed?: number;
  /** Check invariants as the run goes (slow; tests turn it on). */
  debug?: boolean;
  /** /sys/kernel/mm/transparent_hugepage/enabled. */
  thp?: "always" | "madvise" | "never";
  /** sysctl writes applied at boot, by full name. */
  sysctl?: Record<string, number>;
  /** Trace events to record ("migrate:mm_migrate_pages", "migrate:*", "all"). */
  trace?: Iterable<string>;
  /** Where trace events go as lines of the trace file, as they happen (none kept in memory). */
  traceSink?: (line: string) => void;
  /** The kernel command line, e.g. "numa_balancing=disable". */
  cmdline?: string;
  /** Writes to debugfs sched_features after boot, e.g. ["NO_NUMA", "NUMA_FORCE"]. */
  schedFeatures?: readonly string[];
  /** The event loop's time quantum, ns (docs/architecture.md); default DEFAULT_QUANTUM_NS. */
  quantumNs?: number;
}

/** One kernel log line. */
export interface LogLine {
  readonly ns: number;
  readonly level: "info" | "warning";
  readonly text: string;
}

/** sysctls every kernel of the series has (3.7's own): those the model reads. */
export const BASE_SYSCTLS: readonly SysctlDef[] = [
  { name: "vm.min_free_kbytes", defaultValue: 0, min: 0, max: 1 << 30, doc: "reserve below which allocations fail over (0 = the kernel's own sqrt formula)" },
];

const SEC = 1_000_000_000;

/** kernel.sched_* (kernel/sysctl.c, 3.7 ranges): defaults come from the scheduler, writes go to it. */
function schedSysctls(t: SchedTunables): { def: SysctlDef; apply: (v: number) => void }[] {
  const entry = (name: string, key: keyof SchedTunables, min: number, max: number, doc: string) => ({
    def: { name: `kernel.${name}`, defaultValue: t[key], min, max, doc },
    apply: (v: number) => (t[key] = v),
  });
  return [
    entry("sched_latency_ns", "latencyNs", 100_000, SEC, "targeted preemption latency for CPU-bound tasks"),
    entry("sched_min_granularity_ns", "minGranularityNs", 100_000, SEC, "minimum preemption granularity"),
    entry("sched_wakeup_granularity_ns", "wakeupGranularityNs", 0, SEC, "wake-up preemption granularity"),
    entry("sched_migration_cost_ns", "migrationCostNs", 0, 2 ** 31 - 1, "a task that ran this recently is cache hot for load balancing"),
    entry("sched_nr_migrate", "nrMigrate", 0, 2 ** 31 - 1, "tasks moved at most per load-balance pass"),
  ];
}

/** A booted simulated kernel: the Kernel context plus the event loop and process management. */
export class KernelInstance implements Kernel {
  readonly features: Readonly<Features>;
  readonly topology: Topology;
  readonly cost: CostProfile;
  readonly bus: MemoryBus;
  readonly pages: PageFrames;
  readonly vm;
  readonly rng: Rng;
  /** The machine's noise (tick phases, wake-up latency, timer slack, memory jitter, event order): its own stream, so noise never shifts a workload's random choices. */
  readonly noise: Rng;
  readonly sysctl: Sysctls;
  readonly trace: TraceBuffer;
  readonly cpus: CpuState[];
  readonly tasks = new Map<number, Task>();
  readonly debug: boolean;
  readonly step: number;
  /** The kernel log (dmesg). */
  readonly log: LogLine[] = [];
  currentCpu = 0;
  current: Task | null = null;

  readonly pageAlloc: PageAllocOps;
  readonly memory = createMemoryOps();
  readonly hugeMemory = createHugeMemoryOps();
  readonly rmap = createRmapOps();
  readonly migrate = createMigrateOps();
  readonly mempolicy = createMempolicyOps();
  readonly mprotect = createMprotectOps();
  readonly sched: SchedOps;
  readonly tlb = createTlbOps();

  readonly loop: EventLoop;
  private nextPid = 1;
  private readonly anonVmas: AnonVma[] = [];
  private readonly locks: SimLock[] = [];
  /** Tasks waiting for other tasks to exit: waiter -> pids. */
  private readonly waiters = new Map<Task, readonly number[]>();
  private readonly apis = new Map<Task, TaskApi>();
  private lastEvents: Float64Array | null = null;

  constructor(opts: BootOptions = {}) {
    const preset = parseTopology(opts.topology ?? "default");
    this.topology = preset.topology;
    this.cost = COST_PROFILES[preset.costProfile];
    this.step = opts.step ?? 0;
    this.features = Object.freeze({ ...featuresAtStep(this.step), ...opts.features });
    this.debug = opts.debug ?? false;
    const seed = opts.seed ?? 1;
    this.rng = new Rng(seed);
    this.noise = new Rng(seed ^ NOISE_SEED_SALT);
    this.bus = new MemoryBus(this.topology, this.cost);
    this.bus.setNoise(() => this.noise.float());
    this.pages = new PageFrames(this.topology.nodes.map((n) => n.memBytes / PAGE_SIZE));
    this.vm = newVmCounters(this.topology.nodes.length);
    this.pageAlloc = createPageAllocOps(this.topology, this.pages);
    this.sched = createSchedOps(this.topology, this.features);
    const schedCtls = schedSysctls(this.sched.tunables);
    this.sysctl = new Sysctls([...BASE_SYSCTLS, ...schedCtls.map((s) => s.def), ...numaBalancingSysctls(this.features)]);
    for (const [name, value] of Object.entries(opts.sysctl ?? {})) this.sysctl.set(name, value);
    for (const s of schedCtls) s.apply(this.sysctl.get(s.def.name));
    this.hugeMemory.enabled = opts.thp ?? "always";
    this.trace = new TraceBuffer(opts.trace ?? [], () => ({
      ns: this.now(),
      cpu: this.currentCpu,
      comm: this.current?.comm ?? "<idle>",
      pid: this.current?.pid ?? 0,
    }), opts.traceSink);
    this.cpus = this.topology.cpuToNode.map((node, id) => ({ id, node, curr: null, clock: 0, idleNs: 0, pendingIrqNs: 0 }));
    this.loop = new EventLoop(this, this.noise, opts.quantumNs ?? DEFAULT_QUANTUM_NS);
    // Boot-time accounting of free memory (free_area_init_core).
    for (const n of this.topology.nodes) this.vm.nodeStat[n.id][0] = this.pageAlloc.nodeFreePages(n.id);
    this.bootParams(opts.cmdline ?? "");
    this.mempolicy.numaPolicyInit(this);
    for (const cmd of opts.schedFeatures ?? [])
      if (!this.sched.schedFeatSet(this, cmd))
        throw new BootError(
          this.features.CONFIG_SCHED_DEBUG
            ? `sched_features has no '${cmd}' in this kernel; it has: ${this.sched.schedFeatNames().join(", ")}`
            : "sched_features is in debugfs only with CONFIG_SCHED_DEBUG; this kernel is built without it",
        );
  }

  /** init/main.c parse_args: run the __setup handlers this kernel has; others go to init, as Linux does. */
  private bootParams(cmdline: string): void {
    for (const word of cmdline.split(/\s+/).filter(Boolean)) {
      // __setup("numa_balancing=") matches only the word with its "=".
      if (word.startsWith("numa_balancing=") && this.features.numaBalancingControl && this.features.CONFIG_NUMA_BALANCING)
        this.mempolicy.setupNumabalancing(this, word.slice("numa_balancing=".length));
    }
  }

  printk(level: "info" | "warning", text: string): void {
    this.log.push({ ns: this.now(), level, text });
  }

  now(): number {
    return this.cpus[this.currentCpu].clock;
  }

  jiffies(): number {
    return Math.floor(this.now() / TICK_NSEC);
  }

  charge(ns: number): void {
    this.cpus[this.currentCpu].clock += ns;
    if (this.current) this.current.stimeNs += ns;
  }

  chargeCpu(cpu: number, ns: number): void {
    if (cpu === this.currentCpu) this.charge(ns);
    else this.cpus[cpu].pendingIrqNs += ns;
  }

  reschedCpu(cpu: number): void {
    this.loop.kick(cpu);
  }

  newLock(name: string, kind: LockKind): SimLock {
    const l = createSimLock(name, kind);
    this.locks.push(l);
    return l;
  }

  /**
   * Take a lock now. Spinning waits (spinlocks, and mutexes, which spin while the owner runs) are
   * system time; an rwsem waiter sleeps, so its wait passes as elapsed time with one context switch.
   */
  lock(l: SimLock, holdNs: number, shared = false): void {
    const wait = l.acquire(this.now(), holdNs, shared);
    if (wait > 0 && l.kind === "rwsem") {
      this.cpus[this.currentCpu].clock += wait;
      this.charge(this.cost.lockSleepNs + holdNs);
    } else this.charge(wait + holdNs + this.cost.lockNs);
  }

  newAnonVma(): AnonVma {
    const kind: LockKind = this.features.anonVmaLock === "mutex" ? "mutex" : "rwsem";
    const id = this.anonVmas.length + 1;
    const av = { id, root: undefined as unknown as AnonVma, vmas: [], lock: this.newLock(`anon_vma ${id}`, kind), refcount: 1 };
    av.root = av;
    this.anonVmas.push(av);
    return av;
  }

  anonVmaById(id: number): AnonVma {
    return this.anonVmas[id - 1];
  }

  // ---- processes -------------------------------------------------------------------------------

  private newTask(comm: string, tgid: number | null, mm: MmStruct | null, program: UserProgram, parent: Task | null): Task {
    const pid = this.nextPid++;
    const all = (1n << BigInt(this.topology.nrCpus)) - 1n;
    const t = makeTask({
      pid,
      tgid: tgid ?? pid,
      comm: comm.slice(0, 15),
      mm,
      cpu: parent?.cpu ?? 0,
      cpusAllowed: parent?.cpusAllowed ?? all,
      startNs: this.now(),
      mempolicy: this.mempolicy.dupPolicy(parent?.mempolicy ?? null),
      memsAllowed: parent?.memsAllowed ?? nodeMask(...this.topology.nodes.map((n) => n.id)),
      program,
      parent,
    });
    this.tasks.set(pid, t);
    return t;
  }

  /** copy_process: the parts every new task goes through once its mm is set. */
  private forked(t: Task): Task {
    this.sched.schedFork(this, t);
    return t;
  }

  /** Start a new process with its own address space, as a shell on CPU 0 would. */
  createProcess(opts: { comm?: string; program?: UserProgram; cpusAllowed?: bigint } = {}): Task {
    const t = this.newTask(opts.comm ?? "proc", null, null, opts.program ?? SLEEPER, null);
    t.mm = this.memory.newMm(this, t.tgid);
    this.forked(t);
    if (opts.cpusAllowed !== undefined) {
      const r = this.sched.setCpusAllowed(this, t, opts.cpusAllowed);
      if (r < 0) throw new Error(`cpus_allowed 0x${opts.cpusAllowed.toString(16)} has no online CPU`);
    }
    this.sched.wakeUpNewTask(this, t, this.pickSpawnCpu(t));
    return t;
  }

  private pickSpawnCpu(t: Task): number {
    for (let c = 0; c < this.topology.nrCpus; c++) if ((t.cpusAllowed >> BigInt(c)) & 1n) return c;
    return 0;
  }

  /** clone(CLONE_VM|CLONE_THREAD): a thread of parent's process. */
  cloneThread(parent: Task, program: UserProgram, comm?: string): Task {
    const t = this.newTask(comm ?? parent.comm, parent.tgid, parent.mm, program, parent);
    if (t.mm) t.mm.mmUsers++;
    this.forked(t);
    this.sched.wakeUpNewTask(this, t, this.currentCpu);
    return t;
  }

  /** fork(): a new process with a copy of parent's address space. */
  forkProcess(parent: Task, program: UserProgram, comm?: string): Task {
    const t = this.newTask(comm ?? parent.comm, null, null, program, parent);
    t.mm = parent.mm ? this.memory.dupMm(this, parent.mm, t.tgid) : this.memory.newMm(this, t.tgid);
    this.forked(t);
    this.sched.wakeUpNewTask(this, t, this.currentCpu);
    return t;
  }

  waitFor(waiter: Task, pids: readonly number[]): RunResult {
    const alive = pids.filter((p) => {
      const t = this.tasks.get(p);
      return t !== undefined && t.exitNs < 0;
    });
    if (alive.length === 0) return 0;
    this.waiters.set(waiter, alive);
    return RUN_BLOCKED;
  }

  /** do_exit: the task is gone; its mm goes with its last user; waiters for it wake now. */
  doExit(t: Task): void {
    t.flags |= PF_EXITING;
    t.state = TASK_DEAD;
    t.exitNs = this.now();
    const mm = t.mm;
    if (mm && --mm.mmUsers === 0) this.memory.exitMmap(this, mm);
    this.apis.delete(t);
    for (const [w, pids] of this.waiters) {
      if (!pids.includes(t.pid)) continue;
      const rest = pids.filter((p) => (this.tasks.get(p)?.exitNs ?? 0) < 0);
      if (rest.length === 0) {
        this.waiters.delete(w);
        this.wake(w);
      } else this.waiters.set(w, rest);
    }
  }

  /** try_to_wake_up of a sleeping task, now. */
  wake(t: Task): void {
    if (t.state !== TASK_INTERRUPTIBLE) return;
    t.state = TASK_RUNNING;
    t.wakeAt = -1;
    this.sched.wakeUp(this, t);
  }

  /** futex_wake: wake up to `n` of `f`'s waiters, oldest first. */
  futexWake(f: Futex, n: number): number {
    let woken = 0;
    while (woken < n && f.waiters.length > 0) {
      this.wake(f.waiters.shift() as Task);
      woken++;
    }
    return woken;
  }

  /** A UserApi acting as `task` now, outside the event loop (tests, setup code). */
  userApi(task: Task): UserApi {
    this.currentCpu = task.cpu;
    this.current = task;
    const api = this.apiFor(task);
    api.sliceEnd = Infinity;
    return api;
  }

  private apiFor(task: Task): TaskApi {
    let api = this.apis.get(task);
    if (!api) {
      api = new TaskApi(this, task);
      this.apis.set(task, api);
    }
    return api;
  }

  // ---- the event loop --------------------------------------------------------------------------

  /** Global simulated time: every event before it has run, ns. */
  get time(): number {
    return this.loop.time;
  }

  /** Run the machine for ns of simulated time, calling onTick after every 1/HZ of it. */
  runFor(ns: number, onTick?: (k: KernelInstance) => void): void {
    const end = this.time + ns;
    while (this.time < end) {
      this.runTick();
      onTick?.(this);
    }
  }

  /** Run the machine for one tick (1/HZ) of global simulated time. */
  runTick(): void {
    this.loop.runUntil(this.time + TICK_NSEC);
  }

  /** True while any task is alive. */
  hasLiveTasks(): boolean {
    for (const t of this.tasks.values()) if (t.exitNs < 0 && t.program !== SLEEPER) return true;
    return false;
  }

  /** Run `t`'s user program on the current CPU until `sliceEnd` (or it blocks or exits). */
  runProgram(t: Task, sliceEnd: number): RunResult {
    const api = this.apiFor(t);
    api.sliceEnd = sliceEnd;
    return t.program.run(api);
  }

  /** Forget lock holds that ended before `t`: no CPU can ask for a lock that early any more. */
  expireLocks(t: number): void {
    for (const l of this.locks) l.expire(t);
  }

  /** Throw if an invariant is broken (pages conserved, page tables and rmap agree, counters monotone). */
  checkInvariants(): void {
    checkInvariants(this, this.lastEvents);
    this.lastEvents = this.vm.events.slice();
  }
}

/** Mixed into the seed for the noise stream, so it differs from the workload stream of the same seed. */
const NOISE_SEED_SALT = 0x5eed_0b5e;

export class BootError extends Error {
  override name = "BootError";
}

/**
 * kernel.numa_balancing_* (kernel/sysctl.c kern_table, inside CONFIG_SCHED_DEBUG and
 * CONFIG_NUMA_BALANCING), each present from the step that added it, with that step's default, in
 * the table's order. proc_dointvec: any int is accepted.
 */
export function numaBalancingSysctls(f: Readonly<Features>): SysctlDef[] {
  if (!f.CONFIG_NUMA_BALANCING || !f.CONFIG_SCHED_DEBUG || f.numaScanner === "none") return [];
  const INT_MAX = 2 ** 31 - 1;
  const def = (name: string, defaultValue: number, doc: string): SysctlDef => ({ name: `kernel.numa_balancing_${name}`, defaultValue, min: 0, max: INT_MAX, doc });
  const out: SysctlDef[] = [];
  if (f.scanDelayMs > 0) out.push(def("scan_delay_ms", f.scanDelayMs, "a new task's first scan period: slow start (step 29)"));
  out.push(def("scan_period_min_ms", f.scanPeriodMinMs, "shortest time between scans of a task's address space (step 26)"));
  if (f.scanPeriodResetMs > 0) out.push(def("scan_period_reset", f.scanPeriodResetMs, "the period goes back to min this often, ms (step 41)"));
  out.push(def("scan_period_max_ms", f.scanPeriodMaxMs, "longest time between scans (step 26)"));
  if (f.scanSizeMb > 0) out.push(def("scan_size_mb", f.scanSizeMb, "MB of memory marked per scan pass (step 27)"));
  return out;
}

/** Boot a simulated kernel. */
export function bootKernel(opts: BootOptions = {}): KernelInstance {
  return new KernelInstance(opts);
}
