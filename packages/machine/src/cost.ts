/**
 * The cost model: what each simulated action costs in nanoseconds of CPU time.
 * Every figure and its source is listed in docs/cost-model.md; change both together.
 */

export interface CostProfile {
  readonly name: string;
  /** One thread streaming from its own node's memory, GB/s (1e9 bytes/s). */
  readonly streamLocalGBs: number;
  /** One thread streaming from a node at distance 20, GB/s. Other distances scale by (10/d)^k fitted to this. */
  readonly streamRemoteGBs: number;
  /** A node's memory controller: total GB/s it serves, whoever asks. */
  readonly controllerGBs: number;
  /** One interconnect direction between two nodes, GB/s. */
  readonly linkDirGBs: number;
  /** Both directions of one interconnect together, GB/s. */
  readonly linkTotalGBs: number;
  /** Load-to-use latency of one cache-line miss to local memory, ns. Remote scales with distance/10. */
  readonly latencyLocalNs: number;
  /** Entering and leaving the kernel for a page fault (exception, handle_mm_fault dispatch, iret), ns. */
  readonly faultEntryNs: number;
  /** Entering and leaving the kernel for a system call, ns. */
  readonly syscallNs: number;
  /** Writing or clearing one page-table entry (incl. the pte lock round trip), ns. */
  readonly pteUpdateNs: number;
  /** Allocating or freeing one page in the buddy allocator (per-cpu list hit), ns. */
  readonly pageAllocNs: number;
  /** Flushing one TLB entry on the local CPU (invlpg), ns. */
  readonly tlbFlushLocalNs: number;
  /** Sending a TLB-shootdown IPI and waiting for the acknowledgements, ns on the sender per target CPU. */
  readonly ipiSendNs: number;
  /** Taking a TLB-shootdown interrupt on a target CPU, ns charged to whatever runs there. */
  readonly ipiReceiveNs: number;
  /** An uncontended lock or unlock pair (spinlock, mutex, rwsem fast path), ns. */
  readonly lockNs: number;
  /** A sleeping lock's context-switch cost when it has to wait, ns. */
  readonly lockSleepNs: number;
  /** Isolating a page from the LRU and putting it back, ns. */
  readonly lruIsolateNs: number;
  /** Walking the reverse map of one page (per vma visited), ns. */
  readonly rmapWalkNs: number;
  /** Scheduler context switch, ns. */
  readonly contextSwitchNs: number;
  /** Scheduler tick and bookkeeping, ns per tick per busy CPU. */
  readonly schedTickNs: number;
  /** Cost of moving a task to another CPU (cache refill is modelled by the access costs), ns. */
  readonly taskMigrateNs: number;

  // Noise: how much a real machine varies from one run to the next (docs/cost-model.md, "Noise").
  /** A CPU's timer interrupt arrives up to this late after its period (delivery and entry), ns. */
  readonly tickJitterNs: number;
  /** An idle CPU starts running a task woken onto it this long after the wake-up, ns (uniform between the two). */
  readonly wakeLatencyMinNs: number;
  readonly wakeLatencyMaxNs: number;
  /** Memory access cost varies by up to this fraction (uniform, either way) per CPU node/memory node pair per tick. */
  readonly memoryJitter: number;
  /**
   * OS noise: on each CPU, at random times (exponential gaps of this mean), a kernel thread or
   * interrupt handler takes the CPU for osNoiseMinNs..osNoiseMaxNs and the running task is rescheduled.
   */
  readonly osNoiseIntervalNs: number;
  readonly osNoiseMinNs: number;
  readonly osNoiseMaxNs: number;
}

export const COST_PROFILES: Record<string, CostProfile> = {
  "opteron-2012": {
    name: "opteron-2012",
    streamLocalGBs: 8.436,
    streamRemoteGBs: 6.717,
    controllerGBs: 13.177,
    linkDirGBs: 7.371,
    linkTotalGBs: 12.144,
    latencyLocalNs: 100,
    faultEntryNs: 250,
    syscallNs: 100,
    pteUpdateNs: 10,
    pageAllocNs: 120,
    tlbFlushLocalNs: 100,
    ipiSendNs: 1500,
    ipiReceiveNs: 1000,
    lockNs: 40,
    lockSleepNs: 2000,
    lruIsolateNs: 100,
    rmapWalkNs: 80,
    contextSwitchNs: 2000,
    schedTickNs: 500,
    taskMigrateNs: 2000,
    tickJitterNs: 1000,
    wakeLatencyMinNs: 2000,
    wakeLatencyMaxNs: 20000,
    memoryJitter: 0.01,
    osNoiseIntervalNs: 10_000_000,
    osNoiseMinNs: 2000,
    osNoiseMaxNs: 20000,
  },
};

/** The exponent k in remoteGBs(d) = local * (10/d)^k, fitted so that d = 20 gives streamRemoteGBs. */
export function distanceExponent(p: CostProfile): number {
  return Math.log(p.streamRemoteGBs / p.streamLocalGBs) / Math.log(10 / 20);
}

/** Single-stream bandwidth in bytes per ns (= GB/s) from a CPU to memory at SLIT distance d. */
export function streamBandwidth(p: CostProfile, distance: number): number {
  if (distance <= 10) return p.streamLocalGBs;
  return p.streamLocalGBs * Math.pow(10 / distance, distanceExponent(p));
}
