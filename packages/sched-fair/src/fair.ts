/**
 * CFS run-queue mechanics (kernel/sched/fair.c): vruntime accounting, the timeline, enqueue/dequeue,
 * picking, tick preemption and wakeup preemption. Buddies (NEXT_BUDDY/LAST_BUDDY) are not modelled:
 * the leftmost task is always picked.
 */
import type { Kernel, Task } from "@balancenuma/include-linux";
import { NICE_0_LOAD, type Rq, type SchedState } from "./sched.js";

/** enqueue_task flags. */
export const ENQUEUE_WAKEUP = 1;
export const ENQUEUE_WAKING = 4;
/** dequeue_task flags. */
export const DEQUEUE_SLEEP = 1;

/** kernel/sched/fair.c: calc_delta_fair: real time to virtual time for a task of this weight. */
export function calcDeltaFair(delta: number, weight: number): number {
  return weight === NICE_0_LOAD ? delta : (delta * NICE_0_LOAD) / weight;
}

/** kernel/sched/fair.c: __sched_period: the latency target, stretched when too many tasks share it. */
export function schedPeriod(s: SchedState, nrRunning: number): number {
  const t = s.tunables;
  const nrLatency = Math.ceil(t.latencyNs / t.minGranularityNs);
  return nrRunning > nrLatency ? nrRunning * t.minGranularityNs : t.latencyNs;
}

/** kernel/sched/fair.c: sched_slice: p's wall-time share of the period on rq (counting p if not queued). */
export function schedSlice(s: SchedState, rq: Rq, p: Task): number {
  const queued = p.onRq && p.cpu === rq.cpu;
  const nr = rq.nrRunning + (queued ? 0 : 1);
  const load = rq.loadWeight + (queued ? 0 : p.se.loadWeight);
  return (schedPeriod(s, nr) * p.se.loadWeight) / load;
}

/** kernel/sched/fair.c: sched_vslice. */
export function schedVslice(s: SchedState, rq: Rq, p: Task): number {
  return calcDeltaFair(schedSlice(s, rq, p), p.se.loadWeight);
}

/** kernel/sched/fair.c: __enqueue_entity: insert into the timeline after equal keys. */
export function timelineInsert(rq: Rq, p: Task): void {
  const tl = rq.timeline;
  const v = p.se.vruntime;
  let lo = 0;
  let hi = tl.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tl[mid].se.vruntime <= v) lo = mid + 1;
    else hi = mid;
  }
  tl.splice(lo, 0, p);
}

/** kernel/sched/fair.c: __dequeue_entity. */
export function timelineRemove(rq: Rq, p: Task): void {
  const i = rq.timeline.indexOf(p);
  if (i >= 0) rq.timeline.splice(i, 1);
}

/** kernel/sched/fair.c: update_min_vruntime: monotonic floor of curr and the leftmost task. */
export function updateMinVruntime(rq: Rq): void {
  let v = rq.minVruntime;
  if (rq.curr) v = rq.curr.se.vruntime;
  const left = rq.timeline[0];
  if (left) v = rq.curr ? Math.min(v, left.se.vruntime) : left.se.vruntime;
  if (v > rq.minVruntime) rq.minVruntime = v;
}

/** kernel/sched/fair.c: update_curr: charge ns of runtime to the running task. */
export function updateCurrTask(rq: Rq, p: Task, ns: number, now: number): void {
  if (ns > 0) {
    p.se.sumExecRuntime += ns;
    p.se.vruntime += calcDeltaFair(ns, p.se.loadWeight);
  }
  // exec_start marks the last accounting point, i.e. when the task last ran (task_hot reads it).
  p.se.execStart = Math.max(now, p.se.execStart + ns);
  updateMinVruntime(rq);
}

/** kernel/sched/fair.c: place_entity: new tasks start a vslice late (START_DEBIT), sleepers half a latency early (GENTLE_FAIR_SLEEPERS). */
export function placeEntity(s: SchedState, rq: Rq, p: Task, initial: boolean): void {
  let v = rq.minVruntime;
  if (initial) v += schedVslice(s, rq, p);
  else v -= s.tunables.latencyNs / 2;
  p.se.vruntime = Math.max(p.se.vruntime, v);
}

/** kernel/sched/fair.c: enqueue_task_fair / enqueue_entity. The task's vruntime is relative unless it is a plain wakeup. */
export function enqueueTask(s: SchedState, rq: Rq, p: Task, flags: number): void {
  if (!(flags & ENQUEUE_WAKEUP) || flags & ENQUEUE_WAKING) p.se.vruntime += rq.minVruntime;
  rq.loadWeight += p.se.loadWeight;
  rq.nrRunning++;
  rq.cfsTasks.unshift(p);
  if (flags & ENQUEUE_WAKEUP) placeEntity(s, rq, p, false);
  if (p !== rq.curr) timelineInsert(rq, p);
  p.onRq = true;
  p.cpu = rq.cpu;
}

/** kernel/sched/fair.c: dequeue_task_fair / dequeue_entity. Unless sleeping, vruntime becomes relative to min_vruntime. */
export function dequeueTask(rq: Rq, p: Task, flags: number): void {
  if (p !== rq.curr) timelineRemove(rq, p);
  p.onRq = false;
  rq.loadWeight -= p.se.loadWeight;
  rq.nrRunning--;
  const i = rq.cfsTasks.indexOf(p);
  if (i >= 0) rq.cfsTasks.splice(i, 1);
  if (!(flags & DEQUEUE_SLEEP)) p.se.vruntime -= rq.minVruntime;
  updateMinVruntime(rq);
}

/** kernel/sched/fair.c: put_prev_entity: the running task goes back into the timeline. */
export function putPrevTask(rq: Rq): void {
  const prev = rq.curr;
  if (!prev) return;
  if (prev.onRq) timelineInsert(rq, prev);
  rq.curr = null;
}

/** kernel/sched/fair.c: pick_next_task_fair + set_next_entity: the leftmost task becomes curr. */
export function pickNextTaskFair(rq: Rq, now: number): Task | null {
  const next = rq.timeline.shift() ?? null;
  if (!next) return null;
  rq.curr = next;
  next.se.execStart = now;
  next.se.prevSumExecRuntime = next.se.sumExecRuntime;
  return next;
}

/** kernel/sched/fair.c: check_preempt_tick: has curr used its slice, or does the leftmost lag it by more than a slice? */
export function checkPreemptTick(s: SchedState, rq: Rq): void {
  const curr = rq.curr;
  if (!curr) return;
  const idealRuntime = schedSlice(s, rq, curr);
  const deltaExec = curr.se.sumExecRuntime - curr.se.prevSumExecRuntime;
  if (deltaExec > idealRuntime) {
    rq.needResched = true;
    return;
  }
  // Ensure a task that preempts has a chance to run for a minimum time.
  if (deltaExec < s.tunables.minGranularityNs) return;
  const left = rq.timeline[0];
  if (!left) return;
  const delta = curr.se.vruntime - left.se.vruntime;
  if (delta > idealRuntime) rq.needResched = true;
}

/** kernel/sched/fair.c: wakeup_preempt_entity: 1 if `se` should preempt `curr`, 0 within the granularity, -1 if not ahead. */
export function wakeupPreemptEntity(s: SchedState, curr: Task, se: Task): number {
  const vdiff = curr.se.vruntime - se.se.vruntime;
  if (vdiff <= 0) return -1;
  if (vdiff > calcDeltaFair(s.tunables.wakeupGranularityNs, se.se.loadWeight)) return 1;
  return 0;
}

/** kernel/sched/core.c: check_preempt_curr -> fair.c: check_preempt_wakeup: reschedule rq if p should run before its current task. */
export function checkPreemptCurr(s: SchedState, k: Kernel, rq: Rq, p: Task): void {
  const curr = rq.curr;
  if (!curr) {
    // The idle task is always preempted: resched_task(rq->idle), an IPI that wakes an idle CPU.
    rq.needResched = true;
    k.reschedCpu(rq.cpu);
    return;
  }
  if (curr === p || rq.needResched) return;
  if (wakeupPreemptEntity(s, curr, p) === 1) rq.needResched = true;
}
