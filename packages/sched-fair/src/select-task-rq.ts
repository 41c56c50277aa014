/**
 * Placement of new and waking tasks (kernel/sched/fair.c: select_task_rq_fair, find_idlest_group,
 * find_idlest_cpu, wake_affine, select_idle_sibling; kernel/sched/core.c: select_task_rq,
 * select_fallback_rq). Wakeups are never WF_SYNC in the model.
 */
import type { Task } from "@balancenuma/include-linux";
import { cpuAvgLoadPerTask, idleCpu, sourceLoad, targetLoad, weightedCpuload } from "./load-balance.js";
import type { SchedState } from "./sched.js";
import {
  SCHED_POWER_SCALE,
  SD_BALANCE_WAKE,
  SD_LOAD_BALANCE,
  SD_SHARE_PKG_RESOURCES,
  SD_WAKE_AFFINE,
  cpumaskWeight,
  type SchedDomain,
  type SchedGroup,
} from "./topology.js";

/** kernel/sched/fair.c: find_idlest_group: the least loaded group p may use, if clearly less loaded than the local one. */
export function findIdlestGroup(s: SchedState, sd: SchedDomain, p: Task, thisCpu: number, loadIdx: number): SchedGroup | null {
  let idlest: SchedGroup | null = null;
  let minLoad = Infinity;
  let thisLoad = 0;
  const imbalance = 100 + Math.floor((sd.imbalancePct - 100) / 2);
  for (const group of sd.groups) {
    if ((group.mask & p.cpusAllowed) === 0n) continue;
    const local = (group.mask & s.cpuBit[thisCpu]) !== 0n;
    let avgLoad = 0;
    // Bias balancing toward CPUs of our domain.
    for (const i of group.cpus) avgLoad += local ? sourceLoad(s.rqs[i], loadIdx) : targetLoad(s.rqs[i], loadIdx);
    avgLoad = (avgLoad * SCHED_POWER_SCALE) / group.power;
    if (local) thisLoad = avgLoad;
    else if (avgLoad < minLoad) {
      minLoad = avgLoad;
      idlest = group;
    }
  }
  if (!idlest || 100 * thisLoad < imbalance * minLoad) return null;
  return idlest;
}

/** kernel/sched/fair.c: find_idlest_cpu: the least loaded allowed CPU of the group (thisCpu wins ties). */
export function findIdlestCpu(s: SchedState, group: SchedGroup, p: Task, thisCpu: number): number {
  let minLoad = Infinity;
  let idlest = -1;
  for (const i of group.cpus) {
    if (!s.allowed(p, i)) continue;
    const load = weightedCpuload(s.rqs[i]);
    if (load < minLoad || (load === minLoad && i === thisCpu)) {
      minLoad = load;
      idlest = i;
    }
  }
  return idlest;
}

/** kernel/sched/fair.c: wake_affine: may p be woken on the waker's CPU instead of its previous one? */
export function wakeAffine(s: SchedState, sd: SchedDomain, p: Task, thisCpu: number, prevCpu: number): boolean {
  const idx = sd.wakeIdx;
  const load = sourceLoad(s.rqs[prevCpu], idx);
  const thisLoad = targetLoad(s.rqs[thisCpu], idx);
  let balanced = true;
  if (thisLoad > 0) {
    const thisEffLoad = 100 * s.rqs[prevCpu].power * (thisLoad + p.se.loadWeight);
    const prevEffLoad = (100 + Math.floor((sd.imbalancePct - 100) / 2)) * s.rqs[thisCpu].power * load;
    balanced = thisEffLoad <= prevEffLoad;
  }
  const tlPerTask = cpuAvgLoadPerTask(s.rqs[thisCpu]);
  return balanced || (thisLoad <= load && thisLoad + targetLoad(s.rqs[prevCpu], idx) <= tlPerTask);
}

/** kernel/sched/fair.c: select_idle_sibling: an idle CPU sharing the target's cache, preferring a wholly idle core. */
export function selectIdleSibling(s: SchedState, p: Task, target: number, thisCpu: number, prevCpu: number): number {
  if (target === thisCpu && idleCpu(s.rqs[thisCpu])) return thisCpu;
  if (target === prevCpu && idleCpu(s.rqs[prevCpu])) return prevCpu;
  // sd_llc: the highest domain of target sharing package resources; then each level below it.
  const doms = s.rqs[target].sd;
  let llc = -1;
  for (let i = 0; i < doms.length; i++) if (doms[i].flags & SD_SHARE_PKG_RESOURCES) llc = i;
  for (let l = llc; l >= 0; l--) {
    for (const sg of doms[l].groups) {
      if ((sg.mask & p.cpusAllowed) === 0n) continue;
      if (!sg.cpus.every((i) => idleCpu(s.rqs[i]))) continue;
      for (const i of sg.cpus) if (s.allowed(p, i)) return i;
    }
  }
  return target;
}

/**
 * kernel/sched/fair.c: select_task_rq_fair. Wakeups (SD_BALANCE_WAKE) go affine through the lowest
 * SD_WAKE_AFFINE domain spanning the waker's and the previous CPU, then to an idle sibling; fork and
 * exec descend the highest domain with the flag through find_idlest_group / find_idlest_cpu.
 */
export function selectTaskRqFair(s: SchedState, p: Task, sdFlag: number, thisCpu: number): number {
  const prevCpu = p.cpu;
  let cpu = thisCpu;
  let newCpu = cpu;
  let wantAffine = false;
  if (cpumaskWeight(p.cpusAllowed & s.allCpus) === 1) return prevCpu;
  if (sdFlag & SD_BALANCE_WAKE) {
    if (s.allowed(p, cpu)) wantAffine = true;
    newCpu = prevCpu;
  }
  let affineSd: SchedDomain | null = null;
  let sd: SchedDomain | null = null;
  for (const tmp of s.rqs[cpu].sd) {
    if (!(tmp.flags & SD_LOAD_BALANCE)) continue;
    // If both cpu and prevCpu are in this domain, cpu is a valid SD_WAKE_AFFINE target.
    if (wantAffine && tmp.flags & SD_WAKE_AFFINE && (tmp.spanMask & s.cpuBit[prevCpu]) !== 0n) {
      affineSd = tmp;
      break;
    }
    if (tmp.flags & sdFlag) sd = tmp;
  }
  if (affineSd) {
    let target = prevCpu;
    if (cpu !== prevCpu && wakeAffine(s, affineSd, p, cpu, prevCpu)) target = cpu;
    return selectIdleSibling(s, p, target, thisCpu, prevCpu);
  }
  while (sd) {
    if (!(sd.flags & sdFlag)) {
      sd = sd.child;
      continue;
    }
    const loadIdx = sdFlag & SD_BALANCE_WAKE ? sd.wakeIdx : sd.forkexecIdx;
    const group = findIdlestGroup(s, sd, p, cpu, loadIdx);
    if (!group) {
      sd = sd.child;
      continue;
    }
    newCpu = findIdlestCpu(s, group, p, cpu);
    if (newCpu === -1 || newCpu === cpu) {
      // Now try balancing at a lower domain level of cpu.
      sd = sd.child;
      continue;
    }
    // Now try balancing at a lower domain level of newCpu.
    cpu = newCpu;
    const weight = sd.spanWeight;
    sd = null;
    for (const tmp of s.rqs[cpu].sd) {
      if (weight <= tmp.spanWeight) break;
      if (tmp.flags & sdFlag) sd = tmp;
    }
  }
  return newCpu;
}

/** kernel/sched/core.c: select_fallback_rq: an allowed CPU on cpu's node, else any allowed CPU. */
export function selectFallbackRq(s: SchedState, cpu: number, p: Task): number {
  const node = s.topology.cpuToNode[cpu];
  for (const c of s.topology.nodes[node].cpus) if (s.allowed(p, c)) return c;
  for (let c = 0; c < s.topology.nrCpus; c++) if (s.allowed(p, c)) return c;
  return cpu; // unreachable: sched_setaffinity never leaves a task without an online CPU
}

/** kernel/sched/core.c: select_task_rq: the class's choice, made safe against cpus_allowed. */
export function selectTaskRq(s: SchedState, p: Task, sdFlag: number, thisCpu: number): number {
  const cpu = selectTaskRqFair(s, p, sdFlag, thisCpu);
  if (cpu < 0 || cpu >= s.topology.nrCpus || !s.allowed(p, cpu)) return selectFallbackRq(s, p.cpu, p);
  return cpu;
}
