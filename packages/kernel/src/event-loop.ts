import { RUN_BLOCKED, RUN_BUDGET_USED, RUN_EXITED, TASK_INTERRUPTIBLE, TICK_NSEC, type CpuState, type Rng } from "@balancenuma/include-linux";
import type { KernelInstance } from "./boot.js";
import { SleepTimers } from "./hrtimer.js";

/** The default time quantum: no CPU runs more than this far ahead of another CPU's next event, ns. */
export const DEFAULT_QUANTUM_NS = 50_000;

/**
 * The machine's clock. CPUs advance interleaved in simulated-time order: the loop always serves the
 * earliest event, which is one of
 * - a busy CPU at its clock: it runs its current task for a slice that ends at its next tick, the
 *   next sleep timer, the next bus tick, or `quantumNs` after the next event of any other CPU,
 *   whichever comes first (so what one CPU does is seen by the others within a quantum, whatever
 *   the CPU ids);
 * - a CPU's local timer tick (each CPU has its own phase, as per-CPU local APIC timers do):
 *   scheduler_tick for the task current there (task_tick_numa included), idle CPUs too;
 * - OS noise on a busy CPU (a kernel thread or interrupt takes it for a moment, see osNoise);
 * - a sleep timer: the task wakes at its own time (try_to_wake_up), not at a tick;
 * - the memory bus's tick: saturation is recomputed every 4 ms of global time.
 * A task queued on an idle CPU (wake-up, fork, balancing) starts there after the machine's wake-up
 * latency. Every source of real-machine noise is drawn from `noise`, seeded from the run's seed:
 * tick phases and jitter, wake-up latency, timer slack, memory cost jitter, OS noise and the order
 * of simultaneous events.
 */
export class EventLoop {
  /** Global simulated time: the event being served, or where the last runUntil stopped, ns. */
  time = 0;
  readonly timers = new SleepTimers();
  private nextBusTick = TICK_NSEC;
  /** Per CPU: when its next event is due (its clock while busy, its next tick while idle). */
  private readonly eventAt: Float64Array;
  /** Per CPU: the tick period grid point its next tick belongs to, and when that tick fires. */
  private readonly tickGrid: Float64Array;
  private readonly nextTick: Float64Array;
  /** Per CPU: when OS noise (a kernel thread, an interrupt) next takes the CPU. */
  private readonly nextNoise: Float64Array;
  /** Per CPU: a random rank ordering CPUs with equal event times (redrawn at each of its ticks). */
  private readonly rank: Float64Array;
  /** Per CPU: nothing to run; its clock is when it went idle. */
  private readonly idle: Uint8Array;
  /** Per CPU: newidle balancing already ran in this idle period. */
  private readonly newidleDone: Uint8Array;

  constructor(
    private readonly k: KernelInstance,
    private readonly noise: Rng,
    readonly quantumNs: number,
  ) {
    const n = k.cpus.length;
    this.eventAt = new Float64Array(n);
    this.tickGrid = new Float64Array(n);
    this.nextTick = new Float64Array(n);
    this.nextNoise = new Float64Array(n);
    this.rank = new Float64Array(n);
    // Booted CPUs sit idle until the first task is queued on them.
    this.idle = new Uint8Array(n).fill(1);
    this.newidleDone = new Uint8Array(n).fill(1);
    for (let c = 0; c < n; c++) {
      this.tickGrid[c] = noise.float() * TICK_NSEC;
      this.nextTick[c] = this.tickGrid[c] + this.tickJitter();
      this.rank[c] = noise.float();
      this.nextNoise[c] = this.noiseGap();
      this.eventAt[c] = this.nextTick[c];
    }
  }

  /** When CPU `cpu`'s next local timer tick fires, ns. */
  cpuNextTick(cpu: number): number {
    return this.nextTick[cpu];
  }

  /** Run every event before `end` (ns of simulated time). */
  runUntil(end: number): void {
    const cpus = this.k.cpus;
    const { eventAt, rank, idle, nextTick, nextNoise, timers, quantumNs } = this;
    const n = eventAt.length;
    for (;;) {
      // The earliest CPU event, and the earliest event of any other CPU (the first's horizon).
      let first = 0;
      let firstAt = eventAt[0];
      let secondAt = Infinity;
      for (let c = 1; c < n; c++) {
        const at = eventAt[c];
        if (at < firstAt || (at === firstAt && rank[c] < rank[first])) {
          secondAt = firstAt;
          firstAt = at;
          first = c;
        } else if (at < secondAt) secondAt = at;
      }
      const timerAt = timers.peek();
      const busAt = this.nextBusTick;
      const next = firstAt < timerAt ? (firstAt < busAt ? firstAt : busAt) : timerAt < busAt ? timerAt : busAt;
      if (next >= end) break;
      this.time = next;
      if (busAt === next) this.busTick();
      else if (timerAt === next) this.fireTimer();
      else {
        const c = cpus[first];
        const tickAt = nextTick[first];
        const noiseAt = nextNoise[first];
        if (idle[first]) this.idleTick(c);
        else if (c.clock >= tickAt) this.tick(c);
        else if (c.clock >= noiseAt) this.osNoise(c);
        else {
          // The slice ends at the first of: this CPU's tick or noise, a timer, the bus tick, a quantum past the next CPU's event, the end.
          let horizon = secondAt + quantumNs;
          if (tickAt < horizon) horizon = tickAt;
          if (noiseAt < horizon) horizon = noiseAt;
          if (timerAt < horizon) horizon = timerAt;
          if (busAt < horizon) horizon = busAt;
          if (end < horizon) horizon = end;
          this.runSlice(c, horizon);
        }
        this.updateEventAt(first);
      }
    }
    this.time = end;
  }

  /**
   * smp_send_reschedule to `cpu`: a task was queued there. A CPU running a task goes on with it
   * (wake-up preemption is the scheduler's business); a CPU with nothing else to run starts the
   * task now, or after the wake-up latency if it was idle. "Now" is the running CPU's clock inside
   * a slice, else the event being served (a tick, a timer, setup code).
   */
  kick(cpu: number): void {
    const k = this.k;
    const c = k.cpus[cpu];
    const idle = this.idle[cpu] === 1;
    if (c.curr !== null || (!idle && k.sched.nrRunning(cpu) > 1)) return;
    const now = k.current !== null ? k.now() : this.time;
    const start = Math.max(c.clock, idle ? now + this.wakeLatency() : now);
    c.idleNs += start - c.clock;
    c.clock = start;
    this.idle[cpu] = 0;
    this.newidleDone[cpu] = 0;
    // Noise that came while the CPU idled disturbed nobody.
    while (this.nextNoise[cpu] < start) this.nextNoise[cpu] += this.noiseGap();
    this.updateEventAt(cpu);
  }

  private updateEventAt(cpu: number): void {
    this.eventAt[cpu] = this.idle[cpu] ? this.nextTick[cpu] : this.k.cpus[cpu].clock;
  }

  /** One slice of CPU `c` (busy) ending near `horizon`. */
  private runSlice(c: CpuState, horizon: number): void {
    const k = this.k;
    k.currentCpu = c.id;
    const t = k.sched.pickNext(k, c.id);
    k.current = t;
    if (t === null) {
      // schedule() found the run queue empty: newidle balancing once, then idle.
      if (!this.newidleDone[c.id]) {
        this.newidleDone[c.id] = 1;
        k.sched.idleBalance(k, c.id);
        if (k.sched.nrRunning(c.id) > 0) return;
      }
      this.idle[c.id] = 1;
      k.current = null;
      return;
    }
    if (c.pendingIrqNs > 0) {
      c.clock += c.pendingIrqNs;
      t.stimeNs += c.pendingIrqNs;
      c.pendingIrqNs = 0;
      k.absorbPendingSys(c.id);
    }
    const start = c.clock;
    // task_work queued by task_tick_numa runs on the way back to user space.
    if (t.numaWorkQueued) k.sched.taskNumaWork(k, t);
    const res = k.runProgram(t, horizon);
    if (c.clock === start && res === RUN_BUDGET_USED) c.clock = horizon; // a program that did nothing spins
    k.sched.updateCurr(k, c.id, c.clock - start);
    if (res === RUN_EXITED) {
      k.sched.dequeueCurrent(k, c.id, false);
      k.doExit(t);
      c.curr = null;
    } else if (res === RUN_BLOCKED) {
      t.state = TASK_INTERRUPTIBLE;
      t.nvcsw++;
      k.sched.dequeueCurrent(k, c.id, true);
      c.curr = null;
      if (t.wakeAt >= 0) {
        if (t.wakeAt <= c.clock) k.wake(t);
        else this.timers.add(t, t.wakeAt, this.noise.float());
      }
    }
    k.current = null;
  }

  /** An idle CPU's tick: account the idle time up to it, then the tick (which may pull work here). */
  private idleTick(c: CpuState): void {
    const at = this.nextTick[c.id];
    c.idleNs += at - c.clock;
    c.clock = at;
    this.tick(c);
    if (this.k.sched.nrRunning(c.id) > 0) {
      this.idle[c.id] = 0;
      this.newidleDone[c.id] = 0;
      while (this.nextNoise[c.id] < at) this.nextNoise[c.id] += this.noiseGap();
    }
  }

  /**
   * OS noise on a busy CPU: a kernel thread (kworker, ksoftirqd, rcu) or an interrupt handler takes
   * the CPU for a few microseconds, with a context switch each way; the time is nobody's user or
   * system time. Afterwards schedule() picks the leftmost task again, which may not be the one
   * that was running.
   */
  private osNoise(c: CpuState): void {
    const { osNoiseMinNs: lo, osNoiseMaxNs: hi, contextSwitchNs } = this.k.cost;
    c.clock += lo + this.noise.float() * (hi - lo) + 2 * contextSwitchNs;
    this.k.sched.reschedCurr(c.id);
    this.nextNoise[c.id] += this.noiseGap();
  }

  /** scheduler_tick on CPU `c` (the current task there, if any), then arm its next tick. */
  private tick(c: CpuState): void {
    const k = this.k;
    k.currentCpu = c.id;
    k.current = c.curr;
    k.sched.schedulerTick(k, c.id);
    k.current = null;
    this.tickGrid[c.id] += TICK_NSEC;
    this.nextTick[c.id] = this.tickGrid[c.id] + this.tickJitter();
    this.rank[c.id] = this.noise.float();
  }

  /** The earliest sleep timer fires: hrtimer wake-up from interrupt context on the sleeper's CPU. */
  private fireTimer(): void {
    const k = this.k;
    const t = this.timers.pop();
    k.currentCpu = t.cpu;
    k.current = null;
    k.wake(t);
  }

  /** Every 4 ms of global time: memory bus saturation, lock history, invariants (debug). */
  private busTick(): void {
    const k = this.k;
    k.bus.endTick(TICK_NSEC);
    // No CPU can ask for a lock before the previous bus tick any more.
    k.expireLocks(this.nextBusTick - TICK_NSEC);
    this.nextBusTick += TICK_NSEC;
    if (k.debug) k.checkInvariants();
  }

  /** Exponentially distributed gap to the next OS noise event. */
  private noiseGap(): number {
    return -Math.log(1 - this.noise.float()) * this.k.cost.osNoiseIntervalNs;
  }

  private tickJitter(): number {
    return this.noise.float() * this.k.cost.tickJitterNs;
  }

  private wakeLatency(): number {
    const { wakeLatencyMinNs: lo, wakeLatencyMaxNs: hi } = this.k.cost;
    return lo + this.noise.float() * (hi - lo);
  }
}
