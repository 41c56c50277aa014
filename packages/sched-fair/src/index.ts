/** @balancenuma/sched-fair — CFS (kernel/sched/fair.c, core.c) with sched-domain load balancing, Linux 3.7. */
export { CfsScheduler, createSchedOps } from "./core.js";
export { SchedState, defaultTunables, sysctlFactor, NICE_0_LOAD, CPU_IDLE, CPU_NOT_IDLE, CPU_NEWLY_IDLE } from "./sched.js";
export type { Rq, SchedTunables, CpuIdleType } from "./sched.js";
export * from "./topology.js";
export { SchedFeatures } from "./features.js";
export { schedForkNuma, taskNumaFault, taskNumaWork, taskTickNuma } from "./numa.js";
