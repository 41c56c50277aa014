/**
 * The scheduler's state (kernel/sched/sched.h: struct rq, struct cfs_rq; kernel/sched/fair.c tunables).
 * The model has no group scheduling, so one CFS run queue per CPU stands for both rq and rq->cfs.
 */
import type { SchedTunables, Task } from "@balancenuma/include-linux";

export type { SchedTunables };
import type { Topology } from "@balancenuma/machine";
import { buildSchedDomains, cpuPower, type SchedDomain } from "./topology.js";

/** NICE_0_LOAD: the load weight of a nice-0 task. */
export const NICE_0_LOAD = 1024;
/** CPU_LOAD_IDX_MAX: rq->cpu_load[] history length. */
export const CPU_LOAD_IDX_MAX = 5;

/** enum cpu_idle_type. */
export const CPU_IDLE = 0;
export const CPU_NOT_IDLE = 1;
export const CPU_NEWLY_IDLE = 2;
export type CpuIdleType = typeof CPU_IDLE | typeof CPU_NOT_IDLE | typeof CPU_NEWLY_IDLE;

/**
 * kernel/sched/fair.c: get_update_sysctl_factor with SCHED_TUNABLESCALING_LOG: 1 + ilog2(cpus), where
 * cpus = min(online CPUs, 8). update_sysctl multiplies the normalized 6 ms / 0.75 ms / 1 ms by it.
 */
export function sysctlFactor(nrCpus: number): number {
  return 1 + Math.floor(Math.log2(Math.min(nrCpus, 8)));
}

/** Boot-time tunables for a machine with nrCpus CPUs (sched_init_granularity). */
export function defaultTunables(nrCpus: number): SchedTunables {
  const f = sysctlFactor(nrCpus);
  return {
    latencyNs: 6_000_000 * f,
    minGranularityNs: 750_000 * f,
    wakeupGranularityNs: 1_000_000 * f,
    migrationCostNs: 500_000,
    nrMigrate: 32,
    childRunsFirst: 0,
  };
}

/** struct rq with its cfs_rq. */
export interface Rq {
  readonly cpu: number;
  readonly node: number;
  /** The rbtree: queued tasks that are not running, ascending vruntime (ties: earlier enqueue first). */
  readonly timeline: Task[];
  /** cfs_rq->curr: the running task (not in the timeline). */
  curr: Task | null;
  /** Queued + running. */
  nrRunning: number;
  /** cfs_rq->load.weight = weighted_cpuload(). */
  loadWeight: number;
  minVruntime: number;
  /** rq->cfs_tasks: every task on this rq, most recently enqueued first (the order load balancing scans). */
  readonly cfsTasks: Task[];
  /** rq->cpu_load[]: decayed load history for the balancer's load indexes. */
  readonly cpuLoad: Float64Array;
  /** Jiffies cpu_load was last updated. */
  lastLoadUpdate: number;
  /** Jiffies of the next periodic balance (rq->next_balance). */
  nextBalance: number;
  /** TIF_NEED_RESCHED on the running task (or an idle CPU that got work). */
  needResched: boolean;
  /** rq->idle_stamp: when the CPU went idle, ns (-1 = busy). */
  idleStamp: number;
  /** rq->avg_idle, ns. */
  avgIdle: number;
  /** rq->active_balance / push_cpu: the CPU the stopper should push a task to, or -1. */
  pushCpu: number;
  /** power_of(cpu). */
  readonly power: number;
  /** The CPU's domain hierarchy, lowest first (rq->sd and its parents). */
  readonly sd: readonly SchedDomain[];
  /** Last jiffy scheduler_tick ran here. */
  lastTick: number;
}

/** Everything createSchedOps owns. */
export class SchedState {
  readonly topology: Topology;
  readonly tunables: SchedTunables;
  readonly rqs: Rq[];
  readonly domains: SchedDomain[][];
  /** 1n << cpu, precomputed. */
  readonly cpuBit: bigint[];
  readonly allCpus: bigint;
  /** max_load_balance_interval = HZ * online CPUs / 10, jiffies. */
  readonly maxLoadBalanceInterval: number;

  constructor(topology: Topology, hz: number) {
    this.topology = topology;
    this.tunables = defaultTunables(topology.nrCpus);
    this.domains = buildSchedDomains(topology);
    const power = cpuPower(topology);
    this.cpuBit = Array.from({ length: topology.nrCpus }, (_, c) => 1n << BigInt(c));
    this.allCpus = (1n << BigInt(topology.nrCpus)) - 1n;
    this.maxLoadBalanceInterval = Math.floor((hz * topology.nrCpus) / 10);
    this.rqs = Array.from({ length: topology.nrCpus }, (_, cpu) => ({
      cpu,
      node: topology.cpuToNode[cpu],
      timeline: [],
      curr: null,
      nrRunning: 0,
      loadWeight: 0,
      minVruntime: 0,
      cfsTasks: [],
      cpuLoad: new Float64Array(CPU_LOAD_IDX_MAX),
      lastLoadUpdate: 0,
      nextBalance: 0,
      needResched: false,
      idleStamp: -1,
      avgIdle: 2 * this.tunables.migrationCostNs,
      pushCpu: -1,
      power: power[cpu],
      sd: this.domains[cpu],
      lastTick: -1,
    }));
  }

  allowed(p: Task, cpu: number): boolean {
    return (p.cpusAllowed & this.cpuBit[cpu]) !== 0n;
  }
}
