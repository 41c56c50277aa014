/** @balancenuma/sched-fair — CFS (kernel/sched/fair.c, core.c) with sched-domain load balancing, Linux 3.7, and the series' NUMA scanner. */
export { CfsScheduler, createSchedOps } from "./core.js";
export { SchedState, defaultTunables, sysctlFactor, NICE_0_LOAD, CPU_LOAD_IDX_MAX, CPU_IDLE, CPU_NOT_IDLE, CPU_NEWLY_IDLE } from "./sched.js";
export type { Rq, SchedTunables, CpuIdleType } from "./sched.js";
export {
  calcDeltaFair,
  schedPeriod,
  schedSlice,
  schedVslice,
  updateMinVruntime,
  updateCurrTask,
  placeEntity,
  enqueueTask,
  dequeueTask,
  putPrevTask,
  pickNextTaskFair,
  checkPreemptTick,
  wakeupPreemptEntity,
  checkPreemptCurr,
} from "./fair.js";
export {
  weightedCpuload,
  idleCpu,
  updateCpuLoad,
  sourceLoad,
  targetLoad,
  cpuAvgLoadPerTask,
  taskHot,
  loadBalance,
  activeLoadBalance,
  rebalanceDomains,
  idleBalanceNewidle,
} from "./load-balance.js";
export { findIdlestGroup, findIdlestCpu, wakeAffine, selectIdleSibling, selectTaskRqFair, selectFallbackRq, selectTaskRq } from "./select-task-rq.js";
export {
  SD_LOAD_BALANCE,
  SD_BALANCE_NEWIDLE,
  SD_BALANCE_EXEC,
  SD_BALANCE_FORK,
  SD_BALANCE_WAKE,
  SD_WAKE_AFFINE,
  SD_SHARE_CPUPOWER,
  SD_SHARE_PKG_RESOURCES,
  SD_SERIALIZE,
  SD_PREFER_SIBLING,
  SD_OVERLAP,
  SCHED_POWER_SCALE,
  RECLAIM_DISTANCE,
  SMT_GAIN,
  cpumaskWeight,
  cpumaskFirst,
  schedInitNuma,
  cpuPower,
  buildSchedDomains,
  type DomainLevelName,
  type SchedDomain,
  type SchedGroup,
} from "./topology.js";
export { SchedFeatures } from "./features.js";
export { schedForkNuma, taskTickNuma, taskNumaWork, taskNumaFault, taskNumaPlacement, resetPtenumaScan } from "./numa.js";
