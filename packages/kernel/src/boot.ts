import { COST_PROFILES, MemoryBus, parseTopology, type CostProfile, type Topology } from "@balancenuma/machine";
import {
  BASELINE_FEATURES,
  PAGE_SIZE,
  PageFrames,
  Rng,
  TASK_INTERRUPTIBLE,
  TASK_RUNNING,
  TICK_NSEC,
  SYS_OTHER,
  SYS_PATH_COUNT,
  createSimLock,
  lockWaitPath,
  type AnonVma,
  type CpuState,
  type Features,
  type Futex,
  type HugeMemoryOps,
  type Kernel,
  type LockKind,
  type MemoryOps,
  type MempolicyOps,
  type MigrateOps,
  type MprotectOps,
  type PageAllocOps,
  type RmapOps,
  type RunResult,
  type SchedOps,
  type SimLock,
  type Task,
  type UserApi,
  type Nodemask,
  type UserProgram,
} from "@balancenuma/include-linux";
import { newVmCounters } from "@balancenuma/vmstat";
import { createPageAllocOps } from "@balancenuma/mm-page-alloc";
import { createTlbOps } from "@balancenuma/arch-x86-pgtable";
import { Sysctls } from "./sysctl.js";
import { BASE_SYSCTLS, numaBalancingSysctls, schedSysctls } from "./sysctl-table.js";
import { TraceBuffer } from "./tracer.js";
import { SLEEPER, TaskApi } from "./user-api.js";
import { checkInvariants, InvariantError } from "./invariants.js";
import { DEFAULT_QUANTUM_NS, EventLoop } from "./event-loop.js";
import { missingSubsystem, type Subsystems } from "./subsystems.js";
import { cloneThread, createKernelThread, createProcess, forkProcess, type StartOptions } from "./fork.js";
import { doExit, waitFor } from "./exit.js";
import { cpusetSetMems } from "./cpuset.js";

export interface BootOptions {
  /** A preset name or a --topology string; default "default". */
  topology?: string;
  /** The kernel's build: every gate of the series (default: Linux 3.7-rc6, BASELINE_FEATURES). */
  features?: Readonly<Features>;
  /** The step of the series these features are (shown in reports; `@balancenuma/series` sets both). */
  step?: number;
  /** The mm and scheduler code the kernel runs; a subsystem left out is a stub that throws when used. */
  subsystems?: Partial<Subsystems>;
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
  /**
   * How user touches are charged: "bulk" (default) charges runs of touches that change nothing in
   * one go, "per-page" touch by touch. The results are byte-identical; per-page is the reference
   * the bulk path is tested against, and slower.
   */
  touchPath?: "bulk" | "per-page";
}

/** One kernel log line. */
export interface LogLine {
  readonly ns: number;
  readonly level: "info" | "warning";
  readonly text: string;
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
  readonly bulkTouches: boolean;
  readonly step: number;
  /** The kernel log (dmesg). */
  readonly log: LogLine[] = [];
  currentCpu = 0;
  current: Task | null = null;
  /** The kernel path the current CPU is in (sys-profile.ts). */
  sysPath = SYS_OTHER;
  /** The system-time profile: ns of system time per kernel path (SYS_*); the paths sum to the tasks' system time. */
  readonly sysNs = new Float64Array(SYS_PATH_COUNT);
  /** Per CPU, per path: interrupt time other CPUs charged there, not yet absorbed by a task (pendingIrqNs split by path). */
  private readonly pendingSysNs: Float64Array;

  readonly pageAlloc: PageAllocOps;
  readonly tlb = createTlbOps();
  readonly memory: MemoryOps;
  readonly hugeMemory: HugeMemoryOps;
  readonly rmap: RmapOps;
  readonly migrate: MigrateOps;
  readonly mempolicy: MempolicyOps;
  readonly mprotect: MprotectOps;
  readonly sched: SchedOps;

  readonly loop: EventLoop;
  /** Tasks waiting for other tasks to exit: waiter -> pids (kernel/exit.c). */
  readonly waiters = new Map<Task, readonly number[]>();
  private nextPid = 1;
  private readonly anonVmas: AnonVma[] = [];
  private readonly locks: SimLock[] = [];
  private readonly apis = new Map<Task, TaskApi>();
  /** Handles given out by userApi (bound to their task, see TaskApi). */
  private readonly outsideApis = new Map<Task, TaskApi>();
  private lastEvents: Float64Array | null = null;

  constructor(opts: BootOptions = {}) {
    const preset = parseTopology(opts.topology ?? "default");
    this.topology = preset.topology;
    this.cost = COST_PROFILES[preset.costProfile];
    this.step = opts.step ?? 0;
    this.features = Object.freeze({ ...(opts.features ?? BASELINE_FEATURES) });
    this.debug = opts.debug ?? false;
    this.bulkTouches = (opts.touchPath ?? "bulk") === "bulk";
    const seed = opts.seed ?? 1;
    this.rng = new Rng(seed);
    this.noise = new Rng(seed ^ NOISE_SEED_SALT);
    this.bus = new MemoryBus(this.topology, this.cost);
    this.bus.setNoise(() => this.noise.float());
    this.pages = new PageFrames(this.topology.nodes.map((n) => n.memBytes / PAGE_SIZE));
    this.vm = newVmCounters(this.topology.nodes.length);
    this.pageAlloc = createPageAllocOps(this.topology, this.pages);
    const sub = opts.subsystems ?? {};
    this.memory = sub.memory ? sub.memory() : missingSubsystem("memory");
    this.hugeMemory = sub.hugeMemory ? sub.hugeMemory() : missingSubsystem("hugeMemory");
    this.rmap = sub.rmap ? sub.rmap() : missingSubsystem("rmap");
    this.migrate = sub.migrate ? sub.migrate() : missingSubsystem("migrate");
    this.mempolicy = sub.mempolicy ? sub.mempolicy() : missingSubsystem("mempolicy");
    this.mprotect = sub.mprotect ? sub.mprotect() : missingSubsystem("mprotect");
    this.sched = sub.sched ? sub.sched(this.topology, this.features) : missingSubsystem("sched");
    const schedCtls = sub.sched ? schedSysctls(this.sched.tunables) : [];
    this.sysctl = new Sysctls([...BASE_SYSCTLS, ...schedCtls.map((s) => s.def), ...numaBalancingSysctls(this.features)]);
    for (const [name, value] of Object.entries(opts.sysctl ?? {})) this.sysctl.set(name, value);
    for (const s of schedCtls) s.apply(this.sysctl.get(s.def.name));
    if (sub.hugeMemory) this.hugeMemory.enabled = opts.thp ?? "always";
    this.trace = new TraceBuffer(
      opts.trace ?? [],
      () => ({
        ns: this.now(),
        cpu: this.currentCpu,
        comm: this.current?.comm ?? "<idle>",
        pid: this.current?.pid ?? 0,
      }),
      opts.traceSink,
    );
    this.cpus = this.topology.cpuToNode.map((node, id) => ({ id, node, curr: null, clock: 0, idleNs: 0, pendingIrqNs: 0 }));
    this.pendingSysNs = new Float64Array(this.cpus.length * SYS_PATH_COUNT);
    this.loop = new EventLoop(this, this.noise, opts.quantumNs ?? DEFAULT_QUANTUM_NS);
    // Boot-time accounting of free memory (free_area_init_core).
    for (const n of this.topology.nodes) this.vm.nodeStat[n.id][0] = this.pageAlloc.nodeFreePages(n.id);
    this.bootParams(opts.cmdline ?? "", sub.mempolicy !== undefined);
    if (sub.mempolicy) this.mempolicy.numaPolicyInit(this);
    for (const cmd of opts.schedFeatures ?? [])
      if (!sub.sched || !this.sched.schedFeatSet(this, cmd))
        throw new BootError(
          this.features.CONFIG_SCHED_DEBUG
            ? `sched_features has no '${cmd}' in this kernel; it has: ${this.sched.schedFeatNames().join(", ")}`
            : "sched_features is in debugfs only with CONFIG_SCHED_DEBUG; this kernel is built without it",
        );
  }

  /** init/main.c parse_args: run the __setup handlers this kernel has; others go to init, as Linux does. */
  private bootParams(cmdline: string, haveMempolicy: boolean): void {
    for (const word of cmdline.split(/\s+/).filter(Boolean)) {
      // __setup("numa_balancing=") matches only the word with its "=".
      if (word.startsWith("numa_balancing=") && this.features.numaBalancingControl && this.features.CONFIG_NUMA_BALANCING && haveMempolicy)
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

  charge(ns: number, path = this.sysPath): void {
    this.cpus[this.currentCpu].clock += ns;
    if (this.current) {
      this.current.stimeNs += ns;
      this.sysNs[path] += ns;
    }
  }

  chargeCpu(cpu: number, ns: number, path = this.sysPath): void {
    if (cpu === this.currentCpu) this.charge(ns, path);
    else {
      this.cpus[cpu].pendingIrqNs += ns;
      this.pendingSysNs[cpu * SYS_PATH_COUNT + path] += ns;
    }
  }

  /** The task now on `cpu` took the interrupt time other CPUs charged there (its pendingIrqNs): count it in the profile. */
  absorbPendingSys(cpu: number): void {
    const base = cpu * SYS_PATH_COUNT;
    for (let p = 0; p < SYS_PATH_COUNT; p++) {
      this.sysNs[p] += this.pendingSysNs[base + p];
      this.pendingSysNs[base + p] = 0;
    }
  }

  reattribute(ns: number, from: number, to: number): void {
    if (!this.current) return;
    this.sysNs[from] -= ns;
    this.sysNs[to] += ns;
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
      this.chargeWait(this.cost.lockSleepNs + holdNs, this.cost.lockSleepNs, l);
    } else this.chargeWait(wait + holdNs + this.cost.lockNs, wait, l);
  }

  chargeWait(ns: number, waitNs: number, l: SimLock): void {
    this.cpus[this.currentCpu].clock += ns;
    if (!this.current) return;
    this.current.stimeNs += ns;
    if (waitNs > 0) this.sysNs[lockWaitPath(l.name)] += waitNs;
    this.sysNs[this.sysPath] += ns - waitNs;
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

  // ---- processes (kernel/fork.c, kernel/exit.c) ------------------------------------------------

  /** The next free pid (alloc_pid). */
  allocPid(): number {
    return this.nextPid++;
  }

  /** Start a new process with its own address space, as a shell on its first allowed CPU would. */
  createProcess(opts: StartOptions & { program?: UserProgram } = {}): Task {
    return createProcess(this, opts);
  }

  /** A kernel thread (no address space), e.g. for scheduler tests. */
  createKernelThread(opts: StartOptions & { program: UserProgram }): Task {
    return createKernelThread(this, opts);
  }

  /** clone(CLONE_VM|CLONE_THREAD): a thread of parent's process. */
  cloneThread(parent: Task, program: UserProgram, comm?: string): Task {
    return cloneThread(this, parent, program, comm);
  }

  /** fork(): a new process with a copy of parent's address space. */
  forkProcess(parent: Task, program: UserProgram, comm?: string): Task {
    return forkProcess(this, parent, program, comm);
  }

  waitFor(waiter: Task, pids: readonly number[]): RunResult {
    return waitFor(this, waiter, pids);
  }

  /** do_exit. */
  doExit(t: Task): void {
    doExit(this, t);
  }

  /** The task is gone: its system-call handle with it. */
  forgetApi(t: Task): void {
    this.apis.delete(t);
    this.outsideApis.delete(t);
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

  /**
   * A handle that makes system calls and memory accesses as `task` (a Task or its pid) from outside
   * the event loop (tests, scripts). It stays bound to its task: each call runs with that task
   * current on its CPU. Its exit() ends the task when the kernel next runs it.
   */
  userApi(task: Task | number): UserApi {
    const t = typeof task === "number" ? this.tasks.get(task) : task;
    if (t === undefined) throw new Error(`userApi: no task with pid ${typeof task === "number" ? task : task.pid}`);
    this.currentCpu = t.cpu;
    this.current = t;
    let api = this.outsideApis.get(t);
    if (!api) {
      api = new TaskApi(this, t, true);
      api.sliceEnd = Infinity;
      this.outsideApis.set(t, api);
    }
    return api;
  }

  /** kernel/cpuset.c: move `task` to a cpuset whose mems are `mems` (0 or -errno; see cpusetSetMems). */
  setMemsAllowed(task: Task, mems: Nodemask): number {
    return cpusetSetMems(this, task, mems);
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

  /** How many times checkInvariants has run (debug runs check at every 4 ms bus tick). */
  invariantChecks = 0;

  /**
   * Throw an InvariantError naming the simulated time if an invariant is broken (pages conserved,
   * page tables and rmap agree, counters monotone).
   */
  checkInvariants(): void {
    this.invariantChecks++;
    try {
      checkInvariants(this, this.lastEvents);
    } catch (e) {
      if (e instanceof InvariantError) e.message += ` (at ${(this.now() / 1e9).toFixed(6)} s simulated)`;
      throw e;
    }
    this.lastEvents = this.vm.events.slice();
  }
}

/** Mixed into the seed for the noise stream, so it differs from the workload stream of the same seed. */
const NOISE_SEED_SALT = 0x5eed_0b5e;

export class BootError extends Error {
  override name = "BootError";
}

/** Boot a simulated kernel (with the subsystems given: see `@balancenuma/series` for a whole one at a step). */
export function bootKernel(opts: BootOptions = {}): KernelInstance {
  return new KernelInstance(opts);
}
