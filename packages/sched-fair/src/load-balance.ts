/**
 * Load balancing over the sched domains (kernel/sched/fair.c: update_cpu_load, load_balance,
 * find_busiest_group, calculate_imbalance, find_busiest_queue, move_tasks, active balancing,
 * rebalance_domains, idle_balance).
 *
 * Modelled: periodic balancing from every CPU's tick at each domain's interval (busy CPUs scale it by
 * busy_factor), newidle balancing when a CPU runs out of work, the LBF_SOME_PINNED retry with another
 * CPU of the local group, dropping all-pinned queues, and active balancing (the stopper pushes a task
 * off a busiest CPU whose only movable task is running, once passive balancing failed
 * cache_nice_tries + 2 times; it runs when that CPU next schedules). Not modelled: nohz idle-balance
 * kicks (the event loop ticks idle CPUs, as a kernel without CONFIG_NO_HZ does), SD_ASYM_PACKING,
 * power-savings balancing and group scheduling (task_h_load = the task's weight).
 */
import type { Kernel, Task } from "@balancenuma/include-linux";
import { HZ, SYS_SCHED, msecsToJiffies } from "@balancenuma/include-linux";
import { checkPreemptCurr, dequeueTask, enqueueTask, putPrevTask } from "./fair.js";
import { CPU_IDLE, CPU_LOAD_IDX_MAX, CPU_NEWLY_IDLE, CPU_NOT_IDLE, type CpuIdleType, type Rq, type SchedState } from "./sched.js";
import { SCHED_POWER_SCALE, SD_BALANCE_NEWIDLE, SD_LOAD_BALANCE, SD_PREFER_SIBLING, SD_SHARE_CPUPOWER, type SchedDomain, type SchedGroup } from "./topology.js";

const LBF_ALL_PINNED = 0x01;
const LBF_SOME_PINNED = 0x04;
/** MAX_PINNED_INTERVAL, ms. */
const MAX_PINNED_INTERVAL = 512;

/** weighted_cpuload. */
export const weightedCpuload = (rq: Rq): number => rq.loadWeight;

/** idle_cpu. */
export const idleCpu = (rq: Rq): boolean => rq.curr === null && rq.nrRunning === 0;

/** kernel/sched/core.c: update_cpu_load (via update_cpu_load_active): age rq->cpu_load[] by the ticks since the last update. */
export function updateCpuLoad(rq: Rq, jiffies: number): void {
  const pending = Math.min(jiffies - rq.lastLoadUpdate, 64);
  if (pending <= 0) return;
  rq.lastLoadUpdate = jiffies;
  const load = rq.loadWeight;
  rq.cpuLoad[0] = load;
  for (let i = 1; i < CPU_LOAD_IDX_MAX; i++) {
    const scale = 1 << i;
    // decay_load_missed: the ticks missed while nobody updated count as zero load.
    let old = rq.cpuLoad[i];
    if (pending > 1) old = Math.floor(old * Math.pow((scale - 1) / scale, pending - 1));
    let nw = load;
    if (nw > old) nw += scale - 1; // round up so the load can reach the steady value
    rq.cpuLoad[i] = Math.floor((old * (scale - 1) + nw) / scale);
  }
}

/** kernel/sched/fair.c: source_load: a low guess of a migration source's load. */
export function sourceLoad(rq: Rq, type: number): number {
  const total = weightedCpuload(rq);
  return type === 0 ? total : Math.min(rq.cpuLoad[type - 1], total);
}

/** kernel/sched/fair.c: target_load: a high guess of a migration target's load. */
export function targetLoad(rq: Rq, type: number): number {
  const total = weightedCpuload(rq);
  return type === 0 ? total : Math.max(rq.cpuLoad[type - 1], total);
}

/** kernel/sched/fair.c: cpu_avg_load_per_task. */
export function cpuAvgLoadPerTask(rq: Rq): number {
  return rq.nrRunning ? rq.loadWeight / rq.nrRunning : 0;
}

/** kernel/sched/fair.c: task_hot: ran within sysctl_sched_migration_cost of `now`. */
export function taskHot(s: SchedState, p: Task, now: number): boolean {
  const cost = s.tunables.migrationCostNs;
  if (cost < 0) return true;
  if (cost === 0) return false;
  return now - p.se.execStart < cost;
}

/**
 * kernel/sched/core.c: set_task_cpu + activate_task, as move_task / __migrate_task do: take a queued
 * (not running) task off src and queue it on dst. ns of migration work are charged to chargeTo.
 */
export function migrateQueuedTask(s: SchedState, k: Kernel, p: Task, dstCpu: number, chargeTo: number): void {
  const src = s.rqs[p.cpu];
  const dst = s.rqs[dstCpu];
  dequeueTask(src, p, 0);
  p.se.nrMigrations++;
  enqueueTask(s, dst, p, 0);
  checkPreemptCurr(s, k, dst, p);
  k.chargeCpu(chargeTo, k.cost.taskMigrateNs, SYS_SCHED);
}

/** struct lb_env. */
interface LbEnv {
  sd: SchedDomain;
  dstCpu: number;
  /** The local group's CPUs a pinned task may go to instead (NULL for newidle). */
  dstGrp: SchedGroup | null;
  srcCpu: number;
  idle: CpuIdleType;
  imbalance: number;
  /** CPUs still candidates as the busiest queue (env->cpus). */
  cpus: bigint;
  flags: number;
  newDstCpu: number;
}

/** struct sd_lb_stats. */
interface SdLbStats {
  busiest: SchedGroup | null;
  local: SchedGroup | null;
  totalLoad: number;
  totalPwr: number;
  avgLoad: number;
  thisLoad: number;
  thisLoadPerTask: number;
  thisNrRunning: number;
  thisHasCapacity: boolean;
  thisIdleCpus: number;
  maxLoad: number;
  busiestNrRunning: number;
  busiestLoadPerTask: number;
  busiestGroupCapacity: number;
  busiestHasCapacity: boolean;
  busiestGroupWeight: number;
  busiestIdleCpus: number;
  groupImb: boolean;
}

/** struct sg_lb_stats. */
interface SgLbStats {
  avgLoad: number;
  groupLoad: number;
  sumNrRunning: number;
  sumWeightedLoad: number;
  groupCapacity: number;
  idleCpus: number;
  groupWeight: number;
  groupImb: boolean;
  groupHasCapacity: boolean;
}

/** kernel/sched/fair.c: get_sd_load_idx. */
function sdLoadIdx(sd: SchedDomain, idle: CpuIdleType): number {
  return idle === CPU_NOT_IDLE ? sd.busyIdx : idle === CPU_NEWLY_IDLE ? sd.newidleIdx : sd.idleIdx;
}

/** kernel/sched/fair.c: fix_small_capacity: an SMT thread with most of its power still counts as one CPU. */
function fixSmallCapacity(sd: SchedDomain): number {
  return sd.flags & SD_SHARE_CPUPOWER ? 1 : 0;
}

/** kernel/sched/fair.c: update_sg_lb_stats. Returns false when this CPU is not the group's balancer at this level. */
function updateSgLbStats(s: SchedState, env: LbEnv, group: SchedGroup, loadIdx: number, localGroup: boolean, sgs: SgLbStats): boolean {
  let maxCpuLoad = 0;
  let minCpuLoad = Infinity;
  let maxNr = 0;
  let minNr = Infinity;
  let balanceCpu = group.cpus[0]; // group_balance_cpu
  let firstIdle = false;
  for (const i of group.cpus) {
    if ((env.cpus & s.cpuBit[i]) === 0n) continue;
    const rq = s.rqs[i];
    let load: number;
    if (localGroup) {
      if (idleCpu(rq) && !firstIdle) {
        firstIdle = true;
        balanceCpu = i;
      }
      load = targetLoad(rq, loadIdx);
    } else {
      load = sourceLoad(rq, loadIdx);
      if (load > maxCpuLoad) maxCpuLoad = load;
      if (load < minCpuLoad) minCpuLoad = load;
      if (rq.nrRunning > maxNr) maxNr = rq.nrRunning;
      if (rq.nrRunning < minNr) minNr = rq.nrRunning;
    }
    sgs.groupLoad += load;
    sgs.sumNrRunning += rq.nrRunning;
    sgs.sumWeightedLoad += weightedCpuload(rq);
    if (idleCpu(rq)) sgs.idleCpus++;
  }
  // Only the first idle CPU (or the first CPU) of a group balances at this and higher levels;
  // every CPU may newidle-balance.
  if (localGroup && env.idle !== CPU_NEWLY_IDLE && balanceCpu !== env.dstCpu) return false;
  sgs.avgLoad = (sgs.groupLoad * SCHED_POWER_SCALE) / group.power;
  const avgLoadPerTask = sgs.sumNrRunning ? sgs.sumWeightedLoad / sgs.sumNrRunning : 0;
  // A group is internally unbalanced when its CPUs differ by more than a task's load.
  if (maxCpuLoad - minCpuLoad >= avgLoadPerTask && maxNr - minNr > 1) sgs.groupImb = true;
  sgs.groupCapacity = Math.round(group.power / SCHED_POWER_SCALE);
  if (!sgs.groupCapacity) sgs.groupCapacity = fixSmallCapacity(env.sd);
  sgs.groupWeight = group.cpus.length;
  if (sgs.groupCapacity > sgs.sumNrRunning) sgs.groupHasCapacity = true;
  return true;
}

/** kernel/sched/fair.c: update_sd_lb_stats. Returns false when this CPU should not balance this domain. */
function updateSdLbStats(s: SchedState, env: LbEnv, sds: SdLbStats): boolean {
  const child = env.sd.child;
  const preferSibling = child !== null && (child.flags & SD_PREFER_SIBLING) !== 0;
  const loadIdx = sdLoadIdx(env.sd, env.idle);
  for (const sg of env.sd.groups) {
    const localGroup = (sg.mask & s.cpuBit[env.dstCpu]) !== 0n;
    const sgs: SgLbStats = {
      avgLoad: 0,
      groupLoad: 0,
      sumNrRunning: 0,
      sumWeightedLoad: 0,
      groupCapacity: 0,
      idleCpus: 0,
      groupWeight: 0,
      groupImb: false,
      groupHasCapacity: false,
    };
    const ok = updateSgLbStats(s, env, sg, loadIdx, localGroup, sgs);
    if (localGroup && !ok) return false;
    sds.totalLoad += sgs.groupLoad;
    sds.totalPwr += sg.power;
    if (preferSibling && !localGroup && sds.thisHasCapacity) sgs.groupCapacity = Math.min(sgs.groupCapacity, 1);
    if (localGroup) {
      sds.thisLoad = sgs.avgLoad;
      sds.local = sg;
      sds.thisNrRunning = sgs.sumNrRunning;
      sds.thisLoadPerTask = sgs.sumWeightedLoad;
      sds.thisHasCapacity = sgs.groupHasCapacity;
      sds.thisIdleCpus = sgs.idleCpus;
    } else if (updateSdPickBusiest(sds, sgs)) {
      sds.maxLoad = sgs.avgLoad;
      sds.busiest = sg;
      sds.busiestNrRunning = sgs.sumNrRunning;
      sds.busiestIdleCpus = sgs.idleCpus;
      sds.busiestGroupCapacity = sgs.groupCapacity;
      sds.busiestLoadPerTask = sgs.sumWeightedLoad;
      sds.busiestHasCapacity = sgs.groupHasCapacity;
      sds.busiestGroupWeight = sgs.groupWeight;
      sds.groupImb = sgs.groupImb;
    }
  }
  return true;
}

/** kernel/sched/fair.c: update_sd_pick_busiest. */
function updateSdPickBusiest(sds: SdLbStats, sgs: SgLbStats): boolean {
  if (sgs.avgLoad <= sds.maxLoad) return false;
  if (sgs.sumNrRunning > sgs.groupCapacity) return true;
  return sgs.groupImb;
}

/** kernel/sched/fair.c: fix_small_imbalance: move one task if that raises total throughput. */
function fixSmallImbalance(env: LbEnv, sds: SdLbStats): void {
  const busiest = sds.busiest as SchedGroup;
  const local = sds.local as SchedGroup;
  let imbn = 2;
  if (sds.thisNrRunning) {
    sds.thisLoadPerTask /= sds.thisNrRunning;
    if (sds.busiestLoadPerTask > sds.thisLoadPerTask) imbn = 1;
  } else sds.thisLoadPerTask = 0; // cpu_avg_load_per_task of an idle dst
  const scaledBusyLoadPerTask = (sds.busiestLoadPerTask * SCHED_POWER_SCALE) / busiest.power;
  if (sds.maxLoad - sds.thisLoad + scaledBusyLoadPerTask >= scaledBusyLoadPerTask * imbn) {
    env.imbalance = sds.busiestLoadPerTask;
    return;
  }
  let pwrNow = busiest.power * Math.min(sds.busiestLoadPerTask, sds.maxLoad) + local.power * Math.min(sds.thisLoadPerTask, sds.thisLoad);
  pwrNow /= SCHED_POWER_SCALE;
  let pwrMove = 0;
  let tmp = (sds.busiestLoadPerTask * SCHED_POWER_SCALE) / busiest.power;
  if (sds.maxLoad > tmp) pwrMove += busiest.power * Math.min(sds.busiestLoadPerTask, sds.maxLoad - tmp);
  if (sds.maxLoad * busiest.power < sds.busiestLoadPerTask * SCHED_POWER_SCALE) tmp = (sds.maxLoad * busiest.power) / local.power;
  else tmp = (sds.busiestLoadPerTask * SCHED_POWER_SCALE) / local.power;
  pwrMove += local.power * Math.min(sds.thisLoadPerTask, sds.thisLoad + tmp);
  pwrMove /= SCHED_POWER_SCALE;
  if (pwrMove > pwrNow) env.imbalance = sds.busiestLoadPerTask;
}

/** kernel/sched/fair.c: calculate_imbalance: how much weighted load to pull. */
function calculateImbalance(env: LbEnv, sds: SdLbStats): void {
  const busiest = sds.busiest as SchedGroup;
  const local = sds.local as SchedGroup;
  sds.busiestLoadPerTask /= sds.busiestNrRunning;
  if (sds.groupImb) sds.busiestLoadPerTask = Math.min(sds.busiestLoadPerTask, sds.avgLoad);
  if (sds.maxLoad < sds.avgLoad) {
    env.imbalance = 0;
    fixSmallImbalance(env, sds);
    return;
  }
  let loadAboveCapacity = Infinity;
  if (!sds.groupImb) {
    loadAboveCapacity = ((sds.busiestNrRunning - sds.busiestGroupCapacity) * 1024 * SCHED_POWER_SCALE) / busiest.power;
  }
  const maxPull = Math.min(sds.maxLoad - sds.avgLoad, loadAboveCapacity);
  env.imbalance = Math.min(maxPull * busiest.power, (sds.avgLoad - sds.thisLoad) * local.power) / SCHED_POWER_SCALE;
  if (env.imbalance < sds.busiestLoadPerTask) fixSmallImbalance(env, sds);
}

/** kernel/sched/fair.c: find_busiest_group: the busiest group if the domain is out of balance, else null. */
function findBusiestGroup(s: SchedState, env: LbEnv, out: { balance: boolean }): SchedGroup | null {
  const sds: SdLbStats = {
    busiest: null,
    local: null,
    totalLoad: 0,
    totalPwr: 0,
    avgLoad: 0,
    thisLoad: 0,
    thisLoadPerTask: 0,
    thisNrRunning: 0,
    thisHasCapacity: false,
    thisIdleCpus: 0,
    maxLoad: 0,
    busiestNrRunning: 0,
    busiestLoadPerTask: 0,
    busiestGroupCapacity: 0,
    busiestHasCapacity: false,
    busiestGroupWeight: 0,
    busiestIdleCpus: 0,
    groupImb: false,
  };
  if (!updateSdLbStats(s, env, sds)) {
    out.balance = false;
    return null;
  }
  if (!sds.busiest || sds.busiestNrRunning === 0 || !sds.local) return null;
  sds.avgLoad = (SCHED_POWER_SCALE * sds.totalLoad) / sds.totalPwr;
  const force = sds.groupImb || (env.idle === CPU_NEWLY_IDLE && sds.thisHasCapacity && !sds.busiestHasCapacity); // newidle trumps SMP nice
  if (!force) {
    if (sds.thisLoad >= sds.maxLoad) return null;
    if (sds.thisLoad >= sds.avgLoad) return null;
    if (env.idle === CPU_IDLE) {
      // Leave a busiest group alone that has no more tasks than CPUs and not clearly fewer idle CPUs.
      if (sds.thisIdleCpus <= sds.busiestIdleCpus + 1 && sds.busiestNrRunning <= sds.busiestGroupWeight) return null;
    } else if (100 * sds.maxLoad <= env.sd.imbalancePct * sds.thisLoad) return null;
  }
  calculateImbalance(env, sds);
  return sds.busiest;
}

/** kernel/sched/fair.c: find_busiest_queue: the most loaded CPU of the group per unit of power. */
function findBusiestQueue(s: SchedState, env: LbEnv, group: SchedGroup): Rq | null {
  let busiest: Rq | null = null;
  let maxLoad = 0;
  for (const i of group.cpus) {
    const rq = s.rqs[i];
    let capacity = Math.round(rq.power / SCHED_POWER_SCALE);
    if (!capacity) capacity = fixSmallCapacity(env.sd);
    if ((env.cpus & s.cpuBit[i]) === 0n) continue;
    let wl = weightedCpuload(rq);
    // A CPU running one task heavier than the imbalance is left alone.
    if (capacity && rq.nrRunning === 1 && wl > env.imbalance) continue;
    wl = (wl * SCHED_POWER_SCALE) / rq.power;
    if (wl > maxLoad) {
      maxLoad = wl;
      busiest = rq;
    }
  }
  return busiest;
}

/** kernel/sched/fair.c: can_migrate_task. */
function canMigrateTask(s: SchedState, k: Kernel, env: LbEnv, p: Task): boolean {
  if (!s.allowed(p, env.dstCpu)) {
    if (env.dstGrp && !(env.flags & LBF_SOME_PINNED)) {
      for (const c of env.dstGrp.cpus)
        if (s.allowed(p, c)) {
          env.flags |= LBF_SOME_PINNED;
          env.newDstCpu = c;
          break;
        }
    }
    return false;
  }
  env.flags &= ~LBF_ALL_PINNED;
  if (s.rqs[env.srcCpu].curr === p) return false; // task_running
  // Aggressive migration once balancing keeps failing: cache hotness stops counting.
  return !taskHot(s, p, k.cpus[env.srcCpu].clock) || env.sd.nrBalanceFailed > env.sd.cacheNiceTries;
}

/** kernel/sched/fair.c: move_tasks: pull up to env.imbalance of weighted load from src to dst. Returns tasks moved. */
function moveTasks(s: SchedState, k: Kernel, env: LbEnv): number {
  if (env.imbalance <= 0) return 0;
  const src = s.rqs[env.srcCpu];
  const loopMax = Math.min(s.tunables.nrMigrate, src.nrRunning);
  const scan = src.cfsTasks.slice(0, loopMax);
  let pulled = 0;
  for (const p of scan) {
    if (!canMigrateTask(s, k, env, p) || p.se.loadWeight / 2 > env.imbalance) {
      // list_move_tail: look at the others first next time.
      const i = src.cfsTasks.indexOf(p);
      src.cfsTasks.splice(i, 1);
      src.cfsTasks.push(p);
      continue;
    }
    migrateQueuedTask(s, k, p, env.dstCpu, env.dstCpu);
    pulled++;
    env.imbalance -= p.se.loadWeight;
    if (env.imbalance <= 0) break;
  }
  return pulled;
}

/** kernel/sched/fair.c: load_balance: balance thisCpu's domain sd. Returns the number of tasks moved. */
export function loadBalance(s: SchedState, k: Kernel, thisCpu: number, sd: SchedDomain, idle: CpuIdleType, out: { balance: boolean }): number {
  const env: LbEnv = {
    sd,
    dstCpu: thisCpu,
    dstGrp: idle === CPU_NEWLY_IDLE ? null : sd.groups[0],
    srcCpu: -1,
    idle,
    imbalance: 0,
    cpus: s.allCpus,
    flags: 0,
    newDstCpu: -1,
  };
  const maxLbIterations = sd.groups[0].cpus.length;
  let ldMoved = 0;
  let activeBalance = false;
  let busiest: Rq | undefined;
  for (;;) {
    const group = findBusiestGroup(s, env, out);
    if (!out.balance || !group) return outBalanced(sd, env);
    const found = findBusiestQueue(s, env, group);
    if (!found) return outBalanced(sd, env);
    busiest = found;
    let lbIterations = 1;
    if (busiest.nrRunning > 1) {
      env.flags |= LBF_ALL_PINNED;
      env.srcCpu = busiest.cpu;
      for (;;) {
        ldMoved += moveTasks(s, k, env);
        // Some tasks could not go to dst but may go to another CPU of the local group.
        if (env.flags & LBF_SOME_PINNED && env.imbalance > 0 && lbIterations++ < maxLbIterations) {
          env.dstCpu = env.newDstCpu;
          env.flags &= ~LBF_SOME_PINNED;
          continue;
        }
        break;
      }
      if (env.flags & LBF_ALL_PINNED) {
        env.cpus &= ~s.cpuBit[busiest.cpu];
        if (env.cpus !== 0n) {
          env.flags = 0;
          env.dstCpu = thisCpu;
          continue;
        }
        return outBalanced(sd, env);
      }
    }
    break;
  }
  if (!ldMoved) {
    if (idle !== CPU_NEWLY_IDLE) sd.nrBalanceFailed++;
    // need_active_balance: passive balancing keeps failing; push the running task with the stopper.
    if (busiest && sd.nrBalanceFailed > sd.cacheNiceTries + 2 && busiest.curr) {
      if (!s.allowed(busiest.curr, thisCpu)) {
        env.flags |= LBF_ALL_PINNED;
        return outOnePinned(sd, env);
      }
      if (busiest.pushCpu < 0) {
        busiest.pushCpu = thisCpu;
        busiest.needResched = true;
        activeBalance = true;
      }
      sd.nrBalanceFailed = sd.cacheNiceTries + 1;
    }
  } else sd.nrBalanceFailed = 0;
  if (!activeBalance) sd.balanceInterval = sd.minInterval;
  else if (sd.balanceInterval < sd.maxInterval) sd.balanceInterval *= 2;
  return ldMoved;
}

function outBalanced(sd: SchedDomain, env: LbEnv): number {
  sd.nrBalanceFailed = 0;
  return outOnePinned(sd, env);
}

/** load_balance's out_one_pinned: back off the balancing interval. */
function outOnePinned(sd: SchedDomain, env: LbEnv): number {
  if ((env.flags & LBF_ALL_PINNED && sd.balanceInterval < MAX_PINNED_INTERVAL) || sd.balanceInterval < sd.maxInterval) sd.balanceInterval *= 2;
  return 0;
}

/**
 * kernel/sched/fair.c: active_load_balance_cpu_stop: on the busiest CPU, the stopper has preempted the
 * running task; move one task (hot or not) to push_cpu through the lowest domain spanning both.
 */
export function activeLoadBalance(s: SchedState, k: Kernel, busiest: Rq): void {
  const target = busiest.pushCpu;
  busiest.pushCpu = -1;
  // The stopper itself is runnable there, so even a lone CFS task can be pushed.
  if (target < 0 || busiest.nrRunning === 0) return;
  putPrevTask(busiest);
  const sd = s.rqs[target].sd.find((d) => d.flags & SD_LOAD_BALANCE && (d.spanMask & s.cpuBit[busiest.cpu]) !== 0n);
  if (!sd) return;
  for (const p of busiest.cfsTasks) {
    if (!s.allowed(p, target)) continue;
    migrateQueuedTask(s, k, p, target, busiest.cpu);
    return;
  }
}

/** kernel/sched/fair.c: rebalance_domains: periodic balancing of every domain whose interval has passed. */
export function rebalanceDomains(s: SchedState, k: Kernel, cpu: number, idle: CpuIdleType): void {
  const rq = s.rqs[cpu];
  const jiffies = k.jiffies();
  let nextBalance = jiffies + 60 * HZ;
  let updateNext = false;
  const out = { balance: true };
  for (const sd of rq.sd) {
    if (!(sd.flags & SD_LOAD_BALANCE)) continue;
    let interval = sd.balanceInterval;
    if (idle !== CPU_IDLE) interval *= sd.busyFactor;
    interval = Math.min(Math.max(msecsToJiffies(interval), 1), s.maxLoadBalanceInterval);
    if (jiffies >= sd.lastBalance + interval) {
      // We pulled tasks over: this CPU is no longer idle for the higher levels.
      if (loadBalance(s, k, cpu, sd, idle, out)) idle = CPU_NOT_IDLE;
      sd.lastBalance = jiffies;
    }
    if (nextBalance > sd.lastBalance + interval) {
      nextBalance = sd.lastBalance + interval;
      updateNext = true;
    }
    // Not this CPU's turn to balance for its group: leave the higher levels to that CPU.
    if (!out.balance) break;
  }
  if (updateNext) rq.nextBalance = nextBalance;
}

/** kernel/sched/fair.c: idle_balance: a CPU about to go idle tries to pull work, lowest domain first. */
export function idleBalanceNewidle(s: SchedState, k: Kernel, cpu: number): void {
  const rq = s.rqs[cpu];
  rq.idleStamp = k.cpus[cpu].clock;
  if (rq.avgIdle < s.tunables.migrationCostNs) return;
  const jiffies = k.jiffies();
  let nextBalance = jiffies + HZ;
  let pulled = 0;
  const out = { balance: true };
  for (const sd of rq.sd) {
    if (!(sd.flags & SD_LOAD_BALANCE)) continue;
    if (sd.flags & SD_BALANCE_NEWIDLE) pulled = loadBalance(s, k, cpu, sd, CPU_NEWLY_IDLE, out);
    const interval = msecsToJiffies(sd.balanceInterval);
    if (nextBalance > sd.lastBalance + interval) nextBalance = sd.lastBalance + interval;
    if (pulled) {
      rq.idleStamp = -1;
      break;
    }
  }
  if (pulled || jiffies > rq.nextBalance) rq.nextBalance = nextBalance;
}
