/**
 * The scheduler entry points the event loop calls (kernel/sched/core.c: wake_up_new_task,
 * try_to_wake_up, __schedule, scheduler_tick, set_cpus_allowed_ptr; fair.c: task_fork_fair,
 * task_waking_fair, idle_balance, trigger_load_balance).
 *
 * Contract with the loop: pickNext is called whenever a CPU needs to know what to run (every tick
 * start and after each run slice); it keeps the current task unless a reschedule is pending.
 * updateCurr charges the CPU time just used, dequeueCurrent takes a blocked or exiting task off,
 * schedulerTick ends every tick on every CPU (idle ones too: periodic idle balancing comes from it),
 * idleBalance runs once when a CPU finds nothing to run (newidle balancing, once per idle period).
 */
import {
  EINVAL,
  HZ,
  inSysPath,
  SYS_SCANNER,
  SYS_SCHED,
  TASK_DEAD,
  TASK_RUNNING,
  type Features,
  type Kernel,
  type SchedOps,
  type Task,
} from "@balancenuma/include-linux";
import type { Topology } from "@balancenuma/machine";
import {
  DEQUEUE_SLEEP,
  ENQUEUE_WAKEUP,
  ENQUEUE_WAKING,
  checkPreemptCurr,
  checkPreemptTick,
  dequeueTask,
  enqueueTask,
  pickNextTaskFair,
  placeEntity,
  putPrevTask,
  timelineInsert,
  timelineRemove,
  updateCurrTask,
} from "./fair.js";
import { activeLoadBalance, idleBalanceNewidle, idleCpu, migrateQueuedTask, rebalanceDomains, updateCpuLoad } from "./load-balance.js";
import { CPU_IDLE, CPU_NOT_IDLE, SchedState, type Rq, type SchedTunables } from "./sched.js";
import { selectTaskRq } from "./select-task-rq.js";
import { SchedFeatures } from "./features.js";
import { schedForkNuma, taskNumaFault, taskNumaWork, taskTickNuma } from "./numa.js";
import { SD_BALANCE_FORK, SD_BALANCE_WAKE, cpumaskFirst, type SchedDomain } from "./topology.js";

/** The CFS scheduler of one kernel instance: SchedOps plus read access for tests and /proc views. */
export class CfsScheduler implements SchedOps {
  readonly state: SchedState;
  /** sysctl_sched_features; built from the kernel's Features (at construction, or at the first call that brings them). */
  private feats: SchedFeatures | null = null;
  /** numabalancing_enabled, the !CONFIG_SCHED_DEBUG variable of step 43 (undefined where it does not exist). */
  private numabalancingEnabledVar: boolean | undefined;

  constructor(topology: Topology, features?: Readonly<Features>) {
    this.state = new SchedState(topology, HZ);
    if (features) this.bind(features);
  }

  private bind(f: Readonly<Features>): SchedFeatures {
    this.feats = new SchedFeatures(f);
    this.numabalancingEnabledVar = f.CONFIG_NUMA_BALANCING && !f.CONFIG_SCHED_DEBUG && f.numabalancingEnabledVar ? false : undefined;
    return this.feats;
  }

  private sf(k: Kernel): SchedFeatures {
    return this.feats ?? this.bind(k.features);
  }

  /**
   * kernel/sched/core.c: numabalancing_enabled (step 43, !CONFIG_SCHED_DEBUG only): what
   * set_numabalancing_state stored. Nothing in fair.c reads it. Undefined where the kernel lacks it.
   */
  get numabalancingEnabled(): boolean | undefined {
    return this.numabalancingEnabledVar;
  }

  /** debugfs sched_features as cat shows it ("NO_" before clear bits). */
  schedFeatShow(): string {
    return this.feats?.show() ?? "";
  }

  /** kernel/sched/core.c: __sched_fork. Only the NUMA scan state is modelled here (CFS state is set by wakeUpNewTask). */
  schedFork(k: Kernel, p: Task): void {
    this.sf(k);
    schedForkNuma(k, p);
  }

  /** sched_feat(x) (sched_feat_numa(x) for NUMA bits: false without CONFIG_NUMA_BALANCING, where they do not exist). */
  schedFeat(name: string): boolean {
    return this.feats?.get(name) ?? false;
  }

  /** kernel/sched/core.c: sched_feat_write -> sched_feat_set. */
  schedFeatSet(k: Kernel, cmd: string): boolean {
    return this.sf(k).set(cmd);
  }

  schedFeatNames(): string[] {
    return this.feats?.list() ?? [];
  }

  /** kernel/sched/core.c: set_numabalancing_state (step 42 on). */
  setNumabalancingState(k: Kernel, enabled: boolean): void {
    const f = k.features;
    const sf = this.sf(k);
    if (!f.CONFIG_NUMA_BALANCING || !f.numaBalancingControl) return; // the stub
    if (f.CONFIG_SCHED_DEBUG) sf.set(enabled ? "NUMA" : "NO_NUMA");
    // Step 43: without SCHED_DEBUG the choice goes to a variable fair.c never reads (at step 42 such
    // a kernel would not even build; the model just drops the call).
    else if (f.numabalancingEnabledVar) this.numabalancingEnabledVar = enabled;
  }

  taskNumaFault(k: Kernel, node: number, pages: number, migrated: boolean): void {
    taskNumaFault(k, this.sf(k), node, pages, migrated);
  }

  taskNumaWork(k: Kernel, p: Task): void {
    inSysPath(k, SYS_SCANNER, () => {
      taskNumaWork(k, this.sf(k), p);
    });
  }

  get tunables(): SchedTunables {
    return this.state.tunables;
  }

  /** The CPU's sched domains, lowest level first (/proc/sys/kernel/sched_domain/cpuN). */
  domains(cpu: number): readonly SchedDomain[] {
    return this.state.rqs[cpu].sd;
  }

  /** The CPU's run queue. */
  rq(cpu: number): Readonly<Rq> {
    return this.state.rqs[cpu];
  }

  nrRunning(cpu: number): number {
    return this.state.rqs[cpu].nrRunning;
  }

  reschedCurr(cpu: number): void {
    this.state.rqs[cpu].needResched = true;
  }

  /** kernel/sched/core.c: wake_up_new_task, after sched_fork/task_fork_fair on the parent's CPU. */
  wakeUpNewTask(k: Kernel, p: Task, parentCpu: number): void {
    const s = this.state;
    const prq = s.rqs[parentCpu];
    p.cpu = parentCpu;
    p.state = TASK_RUNNING;
    // task_fork_fair: start from the parent's vruntime, a slice behind (START_DEBIT), relative to the parent's queue.
    if (prq.curr) p.se.vruntime = prq.curr.se.vruntime;
    placeEntity(s, prq, p, true);
    p.se.vruntime -= prq.minVruntime;
    const cpu = selectTaskRq(s, p, SD_BALANCE_FORK, parentCpu);
    if (cpu !== p.cpu) p.se.nrMigrations++;
    const rq = s.rqs[cpu];
    enqueueTask(s, rq, p, 0);
    checkPreemptCurr(s, k, rq, p);
  }

  /**
   * kernel/sched/core.c: try_to_wake_up. The waker's CPU is the current task's when a task wakes
   * another; a timer wakeup happens on the sleeper's previous CPU.
   */
  wakeUp(k: Kernel, p: Task): void {
    if (p.onRq || p.state === TASK_DEAD) return;
    const s = this.state;
    p.state = TASK_RUNNING;
    const cur = k.current;
    const thisCpu = cur && cur !== p && k.currentCpu >= 0 && k.currentCpu < s.topology.nrCpus ? k.currentCpu : p.cpu;
    // task_waking_fair: make vruntime relative while the task is between queues.
    p.se.vruntime -= s.rqs[p.cpu].minVruntime;
    const cpu = selectTaskRq(s, p, SD_BALANCE_WAKE, thisCpu);
    if (cpu !== p.cpu) {
      p.se.nrMigrations++;
      k.chargeCpu(thisCpu, k.cost.taskMigrateNs, SYS_SCHED);
    }
    const rq = s.rqs[cpu];
    // ttwu_do_wakeup: track how long this CPU idles (idle_balance skips very short idle periods).
    if (rq.idleStamp >= 0 && rq.nrRunning === 0) {
      const delta = k.cpus[cpu].clock - rq.idleStamp;
      const max = 2 * s.tunables.migrationCostNs;
      rq.avgIdle = delta > max ? max : rq.avgIdle + (delta - rq.avgIdle) / 8;
      rq.idleStamp = -1;
    }
    enqueueTask(s, rq, p, ENQUEUE_WAKEUP | ENQUEUE_WAKING);
    checkPreemptCurr(s, k, rq, p);
  }

  /** deactivate_task for the running task: it blocked (sleeping) or exited. */
  dequeueCurrent(k: Kernel, cpu: number, sleeping: boolean): void {
    const s = this.state;
    const rq = s.rqs[cpu];
    const p = rq.curr;
    if (!p) {
      // The task ran here but sched_setaffinity moved it away meanwhile: it is queued elsewhere.
      const moved = this.movedWhileRunning(k, cpu);
      if (moved) dequeueTask(s.rqs[moved.cpu], moved, sleeping ? DEQUEUE_SLEEP : 0);
      return;
    }
    dequeueTask(rq, p, sleeping ? DEQUEUE_SLEEP : 0);
    rq.curr = null;
    rq.needResched = true;
    k.cpus[cpu].curr = null;
  }

  /** kernel/sched/core.c: __schedule (pick side): keep curr unless a reschedule is due, else the leftmost task. */
  pickNext(k: Kernel, cpu: number): Task | null {
    const s = this.state;
    const rq = s.rqs[cpu];
    const prev = rq.curr;
    if (rq.pushCpu >= 0) activeLoadBalance(s, k, rq); // the stopper runs first
    if (prev && rq.curr === prev && !rq.needResched) {
      k.cpus[cpu].curr = prev;
      return prev;
    }
    rq.needResched = false;
    putPrevTask(rq);
    const next = pickNextTaskFair(rq, k.cpus[cpu].clock);
    if (next !== prev) {
      if (prev && prev.onRq) prev.nivcsw++;
      if (next) k.chargeCpu(cpu, k.cost.contextSwitchNs, SYS_SCHED);
    }
    if (next) rq.idleStamp = -1;
    k.cpus[cpu].curr = next;
    return next;
  }

  /** kernel/sched/core.c: scheduler_tick: load history, tick preemption, periodic balancing (trigger_load_balance). */
  schedulerTick(k: Kernel, cpu: number): void {
    const s = this.state;
    const rq = s.rqs[cpu];
    const jiffies = k.jiffies();
    updateCpuLoad(rq, jiffies);
    rq.lastTick = jiffies;
    const curr = rq.curr;
    if (curr) {
      k.chargeCpu(cpu, k.cost.schedTickNs, SYS_SCHED);
      // task_tick_fair -> entity_tick, then task_tick_numa when sched_feat_numa(NUMA)
      if (rq.nrRunning > 1) checkPreemptTick(s, rq);
      if ((this.feats ?? this.bind(k.features)).numa) taskTickNuma(k, curr);
    }
    if (jiffies >= rq.nextBalance) rebalanceDomains(s, k, cpu, idleCpu(rq) ? CPU_IDLE : CPU_NOT_IDLE);
  }

  /** kernel/sched/fair.c: idle_balance, once per idle period. */
  idleBalance(k: Kernel, cpu: number): void {
    const rq = this.state.rqs[cpu];
    if (rq.nrRunning > 0 || rq.idleStamp >= 0) return;
    idleBalanceNewidle(this.state, k, cpu);
  }

  /** kernel/sched/fair.c: update_curr for the task that just ran on cpu. */
  updateCurr(k: Kernel, cpu: number, ns: number): void {
    const s = this.state;
    const rq = s.rqs[cpu];
    const now = k.cpus[cpu].clock;
    if (rq.curr) {
      updateCurrTask(rq, rq.curr, ns, now);
      return;
    }
    const moved = this.movedWhileRunning(k, cpu);
    if (!moved) return;
    // Keep the timeline sorted while charging a task that sits queued on another CPU.
    const mrq = s.rqs[moved.cpu];
    timelineRemove(mrq, moved);
    updateCurrTask(mrq, moved, ns, now);
    timelineInsert(mrq, moved);
  }

  /** kernel/sched/core.c: sched_setaffinity -> set_cpus_allowed_ptr. */
  setCpusAllowed(k: Kernel, p: Task, mask: bigint): number {
    const s = this.state;
    const m = mask & s.allCpus;
    if (m === 0n) return -EINVAL;
    p.cpusAllowed = m;
    if (s.allowed(p, p.cpu)) return 0;
    // A sleeping or not yet started task is placed on an allowed CPU when it wakes.
    if (!p.onRq) return 0;
    const old = p.cpu;
    const rq = s.rqs[old];
    if (rq.curr === p) {
      // migration_cpu_stop: the stopper preempts the task on its CPU and moves it.
      putPrevTask(rq);
      rq.needResched = true;
      k.cpus[old].curr = null;
    }
    migrateQueuedTask(s, k, p, cpumaskFirst(m), old);
    return 0;
  }

  /** The task the loop is running on cpu, if sched_setaffinity moved it to another queue mid-run. */
  private movedWhileRunning(k: Kernel, cpu: number): Task | null {
    const cur = k.current;
    if (!cur || !cur.onRq || cur.cpu === cpu) return null;
    return this.state.rqs[cur.cpu].curr === cur ? null : cur;
  }
}

/** Create the scheduler for a machine (sched_init + sched_init_smp: run queues and domains). */
export function createSchedOps(topology: Topology, features?: Readonly<Features>): CfsScheduler {
  return new CfsScheduler(topology, features);
}
