/**
 * Scheduling domains (kernel/sched/core.c: sched_init_numa, build_sched_domains,
 * build_sched_groups / build_overlap_sched_groups, sd_degenerate; include/linux/topology.h SD_*_INIT).
 *
 * Levels, lowest first: SIBLING (SMT threads of one core), MC (the CPUs of one node: the model has one
 * socket per node and the last-level cache is the socket's), then one NUMA level per distinct remote
 * distance as 3.7's sched_init_numa builds them. 3.7's CPU level (cpu_cpu_mask = the node) has the
 * same span as MC here and a single group, so cpu_attach_domain drops it as degenerate; it is not built.
 */
import type { Topology } from "@balancenuma/machine";

// include/linux/sched.h: sched_domain flags (3.7 values).
export const SD_LOAD_BALANCE = 0x0001;
export const SD_BALANCE_NEWIDLE = 0x0002;
export const SD_BALANCE_EXEC = 0x0004;
export const SD_BALANCE_FORK = 0x0008;
export const SD_BALANCE_WAKE = 0x0010;
export const SD_WAKE_AFFINE = 0x0020;
export const SD_SHARE_CPUPOWER = 0x0080;
export const SD_SHARE_PKG_RESOURCES = 0x0200;
export const SD_SERIALIZE = 0x0400;
export const SD_PREFER_SIBLING = 0x1000;
export const SD_OVERLAP = 0x2000;

/** SCHED_POWER_SCALE: the cpu_power of one full CPU. */
export const SCHED_POWER_SCALE = 1024;
/** include/linux/topology.h: RECLAIM_DISTANCE; NUMA levels farther than this lose fork/exec/affine balancing. */
export const RECLAIM_DISTANCE = 30;
/** SD_SIBLING_INIT .smt_gain: two SMT threads are worth 1.15 CPUs. */
export const SMT_GAIN = 1178;

export type DomainLevelName = "SIBLING" | "MC" | "NUMA";

/** struct sched_group (with its sched_group_power). */
export interface SchedGroup {
  /** CPUs of the group, ascending. */
  readonly cpus: readonly number[];
  readonly mask: bigint;
  /** sgp->power: the sum of its CPUs' cpu_power. */
  readonly power: number;
}

/** struct sched_domain: one level of one CPU's domain hierarchy. */
export interface SchedDomain {
  readonly name: DomainLevelName;
  /** Index in the CPU's hierarchy after degenerate levels are dropped (0 = lowest). */
  level: number;
  /** NUMA levels: the node distance this level reaches; 0 otherwise. */
  readonly numaDistance: number;
  readonly span: readonly number[];
  readonly spanMask: bigint;
  readonly spanWeight: number;
  /** Groups, starting with the one holding this CPU (sd->groups), then round the circle. */
  readonly groups: readonly SchedGroup[];
  parent: SchedDomain | null;
  child: SchedDomain | null;
  readonly flags: number;
  readonly minInterval: number;
  readonly maxInterval: number;
  readonly busyFactor: number;
  readonly imbalancePct: number;
  readonly cacheNiceTries: number;
  readonly busyIdx: number;
  readonly idleIdx: number;
  readonly newidleIdx: number;
  readonly wakeIdx: number;
  readonly forkexecIdx: number;
  /** Current balancing interval, ms (doubles while balanced, back to min_interval when work moved). */
  balanceInterval: number;
  /** Jiffies of the last periodic balance. */
  lastBalance: number;
  nrBalanceFailed: number;
}

type LevelInit = Omit<SchedDomain, "level" | "span" | "spanMask" | "spanWeight" | "groups" | "parent" | "child" | "lastBalance" | "nrBalanceFailed">;

/** include/linux/topology.h: SD_SIBLING_INIT. */
function sdSiblingInit(): LevelInit {
  return {
    name: "SIBLING",
    numaDistance: 0,
    minInterval: 1,
    maxInterval: 2,
    busyFactor: 64,
    imbalancePct: 110,
    cacheNiceTries: 0,
    busyIdx: 0,
    idleIdx: 0,
    newidleIdx: 0,
    wakeIdx: 0,
    forkexecIdx: 0,
    balanceInterval: 1,
    flags: SD_LOAD_BALANCE | SD_BALANCE_NEWIDLE | SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE | SD_SHARE_CPUPOWER | SD_SHARE_PKG_RESOURCES,
  };
}

/** include/linux/topology.h: SD_MC_INIT. */
function sdMcInit(): LevelInit {
  return {
    name: "MC",
    numaDistance: 0,
    minInterval: 1,
    maxInterval: 4,
    busyFactor: 64,
    imbalancePct: 125,
    cacheNiceTries: 1,
    busyIdx: 2,
    idleIdx: 0,
    newidleIdx: 0,
    wakeIdx: 0,
    forkexecIdx: 0,
    balanceInterval: 1,
    flags: SD_LOAD_BALANCE | SD_BALANCE_NEWIDLE | SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE | SD_SHARE_PKG_RESOURCES,
  };
}

/** kernel/sched/core.c: sd_numa_init (with sd_local_flags: fork/exec/affine only within RECLAIM_DISTANCE). */
function sdNumaInit(distance: number, spanWeight: number): LevelInit {
  const local = distance > RECLAIM_DISTANCE ? 0 : SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE;
  return {
    name: "NUMA",
    numaDistance: distance,
    minInterval: spanWeight,
    maxInterval: 2 * spanWeight,
    busyFactor: 32,
    imbalancePct: 125,
    cacheNiceTries: 2,
    busyIdx: 3,
    idleIdx: 2,
    newidleIdx: 0,
    wakeIdx: 0,
    forkexecIdx: 0,
    balanceInterval: spanWeight,
    flags: SD_LOAD_BALANCE | SD_BALANCE_NEWIDLE | SD_SERIALIZE | SD_OVERLAP | local,
  };
}

const maskOf = (cpus: readonly number[]): bigint => cpus.reduce((m, c) => m | (1n << BigInt(c)), 0n);

/** Number of set bits in a CPU mask (cpumask_weight). */
export function cpumaskWeight(mask: bigint): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1n) n++;
  return n;
}

/** The lowest CPU set in mask, or -1 (cpumask_first). */
export function cpumaskFirst(mask: bigint): number {
  if (mask === 0n) return -1;
  let c = 0;
  for (let m = mask; (m & 1n) === 0n; m >>= 1n) c++;
  return c;
}

/**
 * kernel/sched/core.c: sched_init_numa: the distinct remote distances, ascending. Like 3.7 without
 * sched_debug, only node 0's row of the SLIT is scanned (it assumes that row holds every distance).
 */
export function schedInitNuma(t: Topology): number[] {
  const row = t.distance[0];
  return [...new Set(row.filter((d, k) => k !== 0 && d > row[0]))].sort((a, b) => a - b);
}

/** power_of(cpu) as update_cpu_power sets it without RT load: SMT threads share smt_gain. */
export function cpuPower(t: Topology): number[] {
  const smt = t.threadsPerCore > 1 ? Math.floor(SMT_GAIN / t.threadsPerCore) : SCHED_POWER_SCALE;
  return Array.from({ length: t.nrCpus }, () => smt);
}

/**
 * kernel/sched/core.c: build_sched_domains: every CPU's hierarchy, lowest level first, with its groups
 * (a group is the span of the level below for some CPU; NUMA groups may overlap) and with degenerate
 * levels (one CPU, or the same span as the level below) removed as cpu_attach_domain does.
 */
export function buildSchedDomains(t: Topology): SchedDomain[][] {
  const nr = t.nrCpus;
  const power = cpuPower(t);
  // Topology levels: span of each CPU at each level.
  const levels: { init: (cpu: number, w: number) => LevelInit; span: (cpu: number) => number[] }[] = [];
  const tpc = t.threadsPerCore;
  levels.push({ init: sdSiblingInit, span: (c) => Array.from({ length: tpc }, (_, i) => Math.floor(c / tpc) * tpc + i) });
  levels.push({ init: sdMcInit, span: (c) => [...t.nodes[t.cpuToNode[c]].cpus] });
  for (const d of schedInitNuma(t)) {
    levels.push({
      init: (_c, w) => sdNumaInit(d, w),
      span: (c) => {
        const nid = t.cpuToNode[c];
        const out: number[] = [];
        for (const n of t.nodes) if (t.distance[nid][n.id] <= d) out.push(...n.cpus);
        return out.sort((a, b) => a - b);
      },
    });
  }
  const spans = levels.map((l) => Array.from({ length: nr }, (_, c) => l.span(c)));

  const result: SchedDomain[][] = [];
  for (let cpu = 0; cpu < nr; cpu++) {
    const doms: SchedDomain[] = [];
    for (let li = 0; li < levels.length; li++) {
      const span = spans[li][cpu];
      const spanMask = maskOf(span);
      const below = doms.length ? doms[doms.length - 1] : null;
      if (span.length <= 1 || (below && below.spanMask === spanMask)) continue; // sd_degenerate / sd_parent_degenerate
      // build_sched_groups / build_overlap_sched_groups: walk the span, each uncovered CPU brings the
      // span of its own domain one level down.
      let covered = 0n;
      const groups: SchedGroup[] = [];
      for (const i of span) {
        if ((covered >> BigInt(i)) & 1n) continue;
        const cpus = li === 0 ? [i] : spans[li - 1][i];
        const mask = maskOf(cpus);
        covered |= mask;
        groups.push({ cpus, mask, power: cpus.reduce((s, c) => s + power[c], 0) });
      }
      const local = groups.findIndex((g) => (g.mask >> BigInt(cpu)) & 1n);
      const ordered = [...groups.slice(local), ...groups.slice(0, local)];
      const init = levels[li].init(cpu, span.length);
      doms.push({
        ...init,
        level: doms.length,
        span,
        spanMask,
        spanWeight: span.length,
        groups: ordered,
        parent: null,
        child: below,
        lastBalance: 0,
        nrBalanceFailed: 0,
      });
      if (below) below.parent = doms[doms.length - 1];
    }
    result.push(doms);
  }
  return result;
}
