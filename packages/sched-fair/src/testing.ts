/**
 * A minimal kernel for the scheduler's own tests: CPUs, tasks that spin or sleep, and an event loop
 * that drives SchedOps exactly as @balancenuma/kernel's loop does (one tick per CPU at a time,
 * pickNext / updateCurr / dequeueCurrent, then schedulerTick on every CPU). Not used by the model.
 */
import { COST_PROFILES, findPreset, makeTopology, type Topology } from "@balancenuma/machine";
import { BASELINE_FEATURES, Rng, TASK_INTERRUPTIBLE, TASK_RUNNING, TICK_NSEC, makeTask, type CpuState, type Features, type Kernel, type Task } from "@balancenuma/include-linux";
import { createSchedOps, type CfsScheduler } from "./core.js";

/** What a test task does with the CPU. */
export type Behaviour =
  /** Burn every ns it gets. */
  | { kind: "spin" }
  /** Run runNs, sleep sleepNs, repeat. */
  | { kind: "periodic"; runNs: number; sleepNs: number }
  /** Run runNs in total, then exit. */
  | { kind: "finite"; runNs: number };

interface TaskSim {
  behaviour: Behaviour;
  /** Run left in the current burst (periodic) or in total (finite). */
  left: number;
  exited: boolean;
}

export class SchedHarness {
  readonly topology: Topology;
  readonly sched: CfsScheduler;
  readonly cpus: CpuState[];
  readonly tasks = new Map<number, Task>();
  readonly k: Kernel;
  time = 0;
  private nextPid = 1;
  private readonly sim = new Map<Task, TaskSim>();

  constructor(topology: string | Topology = "default", features: Readonly<Features> = BASELINE_FEATURES) {
    this.topology = typeof topology === "string" ? (findPreset(topology)?.topology ?? makeTopologyFromName(topology)) : topology;
    this.sched = createSchedOps(this.topology, features);
    this.cpus = this.topology.cpuToNode.map((node, id) => ({ id, node, curr: null, clock: 0, idleNs: 0, pendingIrqNs: 0 }));
    const cost = COST_PROFILES["opteron-2012"];
    const cpus = this.cpus;
    const k = {
      features,
      sysctl: { has: () => false, get: (name: string): number => { throw new Error(`no sysctl ${name}`); } },
      topology: this.topology,
      cost,
      rng: new Rng(1),
      cpus,
      tasks: this.tasks,
      sched: this.sched,
      currentCpu: 0,
      current: null as Task | null,
      now: () => cpus[k.currentCpu].clock,
      jiffies: () => Math.floor(cpus[k.currentCpu].clock / TICK_NSEC),
      charge: (ns: number) => {
        cpus[k.currentCpu].clock += ns;
        if (k.current) k.current.stimeNs += ns;
      },
      chargeCpu: (cpu: number, ns: number) => (cpu === k.currentCpu ? k.charge(ns) : (cpus[cpu].pendingIrqNs += ns)),
      // The harness runs every CPU each tick, so a woken idle CPU needs no kick.
      reschedCpu: () => {},
    };
    this.k = k as unknown as Kernel;
  }

  /** Create a task as fork from `parentCpu` (default: the first allowed CPU) would, and queue it. */
  spawn(opts: { behaviour?: Behaviour; cpusAllowed?: bigint; parentCpu?: number; weight?: number; comm?: string } = {}): Task {
    const pid = this.nextPid++;
    const all = (1n << BigInt(this.topology.nrCpus)) - 1n;
    const t = makeTask({
      pid,
      comm: opts.comm ?? `t${pid}`,
      cpusAllowed: all,
      loadWeight: opts.weight ?? 1024,
      startNs: this.time,
      program: { run: () => 0 },
    });
    this.tasks.set(pid, t);
    const b = opts.behaviour ?? { kind: "spin" };
    this.sim.set(t, { behaviour: b, left: b.kind === "spin" ? Infinity : b.runNs, exited: false });
    if (opts.cpusAllowed !== undefined && this.sched.setCpusAllowed(this.k, t, opts.cpusAllowed) < 0) throw new Error("bad mask");
    let parent = opts.parentCpu;
    if (parent === undefined) for (parent = 0; !((t.cpusAllowed >> BigInt(parent)) & 1n); parent++);
    this.k.currentCpu = parent;
    this.sched.wakeUpNewTask(this.k, t, parent);
    return t;
  }

  /** Run whole ticks for ns; onTick sees the machine after each. */
  runFor(ns: number, onTick?: (h: SchedHarness) => void): void {
    const end = this.time + ns;
    while (this.time < end) {
      this.runTick();
      onTick?.(this);
    }
  }

  runTick(): void {
    const tickStart = this.time;
    const tickEnd = tickStart + TICK_NSEC;
    this.k.current = null;
    for (const t of this.tasks.values())
      if (t.state === TASK_INTERRUPTIBLE && t.wakeAt >= 0 && t.wakeAt <= tickStart) this.wake(t);
    for (const c of this.cpus) this.runCpu(c, tickStart, tickEnd);
    for (const c of this.cpus) {
      this.k.currentCpu = c.id;
      this.k.current = c.curr;
      this.sched.schedulerTick(this.k, c.id);
    }
    this.k.current = null;
    this.time = tickEnd;
  }

  private wake(t: Task): void {
    t.state = TASK_RUNNING;
    t.wakeAt = -1;
    this.sched.wakeUp(this.k, t);
  }

  private runCpu(c: CpuState, tickStart: number, tickEnd: number): void {
    this.k.currentCpu = c.id;
    if (c.clock < tickStart) c.clock = tickStart;
    let idleBalanced = false;
    while (c.clock < tickEnd) {
      const t = this.sched.pickNext(this.k, c.id);
      c.curr = t;
      this.k.current = t;
      if (!t) {
        if (!idleBalanced) {
          idleBalanced = true;
          this.sched.idleBalance(this.k, c.id);
          continue;
        }
        c.idleNs += tickEnd - c.clock;
        c.clock = tickEnd;
        break;
      }
      if (c.pendingIrqNs > 0) {
        c.clock += c.pendingIrqNs;
        c.pendingIrqNs = 0;
      }
      const st = this.sim.get(t) as TaskSim;
      const start = c.clock;
      const budget = Math.max(0, tickEnd - c.clock);
      const used = Math.min(budget, st.left);
      c.clock += used;
      t.utimeNs += used;
      if (st.left !== Infinity) st.left -= used;
      this.sched.updateCurr(this.k, c.id, c.clock - start);
      if (st.left <= 0 && st.behaviour.kind === "finite") {
        st.exited = true;
        t.exitNs = c.clock;
        this.sched.dequeueCurrent(this.k, c.id, false);
        t.state = 64;
        c.curr = null;
      } else if (st.left <= 0 && st.behaviour.kind === "periodic") {
        st.left = st.behaviour.runNs;
        t.state = TASK_INTERRUPTIBLE;
        t.wakeAt = c.clock + st.behaviour.sleepNs;
        t.nvcsw++;
        this.sched.dequeueCurrent(this.k, c.id, true);
        c.curr = null;
      }
    }
    this.k.current = null;
  }

  /** Tasks queued or running per CPU. */
  perCpu(): number[] {
    return this.cpus.map((c) => this.sched.nrRunning(c.id));
  }
}

function makeTopologyFromName(spec: string): Topology {
  // "nodes=N,cpus=C" shorthand for tests.
  const kv = new Map(spec.split(",").map((p) => p.split("=") as [string, string]));
  const n = Number(kv.get("nodes") ?? 2);
  const c = Number(kv.get("cpus") ?? 4);
  return makeTopology({ name: spec, memBytes: Array(n).fill(64 << 20), cpusPerNode: Array(n).fill(c), threadsPerCore: Number(kv.get("smt") ?? 1) });
}
