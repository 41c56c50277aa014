/**
 * The gates: every behaviour a patch of the series adds or changes is a field here, the analogue of
 * a Kconfig option, a sched_feat() bit or a changed default. series/ steps set them; the model reads
 * them where the kernel decides. BASELINE_FEATURES is Linux 3.7-rc6 (step 0). Each field names the
 * step(s) that set it; `grep -rn <field> packages/` finds the code the step adds.
 */
export interface Features {
  // ---- build configuration -------------------------------------------------------------------
  /**
   * CONFIG_NUMA_BALANCING (v10: CONFIG_BALANCE_NUMA). Defined by step 13 but selectable only once
   * x86 selects ARCH_SUPPORTS_NUMA_BALANCING at step 26; from then on the simulated kernel is built
   * with it. At steps 13-25 it can only be forced on (a "config forced" kernel, never a real build).
   */
  CONFIG_NUMA_BALANCING: boolean;
  /** CONFIG_SCHED_DEBUG: distribution kernels of 2012 had it on. Off, 3.8 never balances (step 43 quirk). */
  CONFIG_SCHED_DEBUG: boolean;

  // ---- TLB flushing and change_protection (steps 01-11) ----------------------------------------
  /** step 01: handle_mm_fault calls __pte_alloc only when the pmd is none (else always, and frees the spare). */
  pteAllocOnlyIfPmdNone: boolean;
  /** steps 02-03: what x86 ptep_set_access_flags flushes after upgrading a pte: all CPUs of the mm, the local CPU, nothing. */
  x86PtepSetAccessFlagsFlush: "flush_tlb_page" | "local" | "none";
  /** step 04: generic ptep_set_access_flags flushes with flush_tlb_fix_spurious_fault (no effect on x86). */
  genericPtepSetAccessFlagsFixSpurious: boolean;
  /** step 05: pte_accessible() exists. */
  pteAccessible: boolean;
  /** step 06: ptep_clear_flush flushes only when the old pte was accessible. */
  ptepClearFlushAccessibleOnly: boolean;
  /** step 07: change_protection returns the number of updated entries. */
  changeProtectionCounts: boolean;
  /** step 08: change_protection flushes the TLB only if it changed something. */
  changeProtectionFlushIfChanged: boolean;
  /** step 09: migrate_pages counts pgmigrate_success/pgmigrate_fail (compaction's move counters go). */
  migrateStats: boolean;
  /** step 10: the migrate:mm_migrate_pages trace event and enum migrate_reason. */
  migrateTracepoint: boolean;
  /** step 11: compaction's scanned/isolated counters. */
  compactionScanCounters: boolean;

  // ---- NUMA hinting entries and faults (steps 12-16) -------------------------------------------
  /** step 12: _PAGE_NUMA is defined (= _PAGE_PROTNONE, bit 8). */
  pageNumaDefined: boolean;
  /**
   * step 13: pte_numa/pmd_numa/pte_mknuma/... and the x86 pmd_bad exception (live only with
   * CONFIG_NUMA_BALANCING); the same patch defines the Kconfig symbols, so the config can be forced from here.
   */
  pteNumaHelpers: boolean;
  /** step 14: gup adds FOLL_NUMA (unless FOLL_FORCE) and follow_page refuses numa entries with it. */
  follNuma: boolean;
  /** step 15: split_huge_page makes every new pte pte_numa when the huge pmd was pmd_numa. */
  splitHugePageKeepsNuma: boolean;
  /** step 16: handle_mm_fault dispatches numa entries to do_numa_page / do_pmd_numa_page / do_huge_pmd_numa_page. */
  numaHintingFaults: boolean;

  // ---- mempolicy and migrate-on-fault (steps 17-25) --------------------------------------------
  /** step 17: MPOL_LOCAL (4) is a syscall-visible mode (MPOL_MAX 4 -> 5). */
  mpolLocal: boolean;
  /** steps 18/23/25: MPOL_NOOP (5, MPOL_MAX 6): like MPOL_DEFAULT (18), retains the existing policy (23), gone (25). */
  mpolNoop: "absent" | "like-default" | "retain";
  /** step 19: mpol_misplaced() and MPOL_F_MOF. */
  mpolMisplaced: boolean;
  /** steps 20/21: migrate_misplaced_page(); at 20 a full target node leaks the caller's page reference. */
  migrateMisplacedPage: "absent" | "leaks-reference" | "drops-reference";
  /** step 22: hinting faults ask mpol_misplaced and migrate (a misplaced THP is split first). */
  numaFaultMigrates: boolean;
  /** steps 23/25: mbind accepts MPOL_MF_LAZY from user space (23) and stops again (25). */
  mbindLazy: boolean;
  /** steps 23/24: change_prot_numa: its own page-table walker (23), change_protection(prot_numa) (24). */
  changeProtNuma: "absent" | "own-walker" | "change-protection";

  // ---- the scanner (steps 26-29, 35-36, 41-44) -------------------------------------------------
  /** steps 26/27/28: task_numa_work marks the whole address space, a 256 MB window of virtual range, or of updated ptes. */
  numaScanner: "none" | "whole-address-space" | "virtual-window" | "present-ptes";
  /** SCHED_FEAT(NUMA) default: true at step 26, false from step 42 (enabled at boot on NUMA machines). */
  schedFeatNumaDefault: boolean;
  /** Default of numa_balancing_scan_period_min_ms (26: 5000, 27: 100). */
  scanPeriodMinMs: number;
  /** Default of numa_balancing_scan_period_max_ms (26: 80000, 27: 1600, 41: 5000). */
  scanPeriodMaxMs: number;
  /** Default of numa_balancing_scan_size_mb (27: 256; 0 before the sysctl exists). */
  scanSizeMb: number;
  /** step 29: slow start: fork sets the period to numa_balancing_scan_delay_ms (1000). */
  scanDelayMs: number;
  /** steps 26/36: the next pass may start this many periods after a pass (2, then 1). */
  nextScanPeriods: number;
  /** steps 36/41: each hinting fault grows the period: never, by 2 jiffies, or by 10 jiffies when it did not migrate. */
  scanPeriodGrowth: "none" | "every-fault" | "non-migrating";
  /** step 41: numa_balancing_scan_period_reset (ms, 60000): the period snaps back to min; 0 = absent. */
  scanPeriodResetMs: number;
  /** step 42: numa_balancing= boot parameter, check_numabalancing_enable, task_numa_fault gated on NUMA. */
  numaBalancingControl: boolean;
  /** step 43: the !SCHED_DEBUG numabalancing_enabled variable (which nothing in fair.c reads). */
  numabalancingEnabledVar: boolean;
  /** step 44: no scanning until the mm's task runs on a node other than its first (mm->first_nid, NUMA_FORCE). */
  delayScanUntilNewNode: boolean;

  // ---- statistics and policy (steps 30-32, 37-40) -----------------------------------------------
  /** step 30: numa_pte_updates, numa_hint_faults, numa_hint_faults_local, numa_pages_migrated. */
  numaVmstat: boolean;
  /** step 31: tasks without a policy use preferred_node_policy[node] (MPOL_F_MOF | MPOL_F_MORON). */
  migrateOnReference: boolean;
  /** step 32: numa_migrate_prep; do_pmd_numa_page migrates; pmds marked numa only when all pages share a node. */
  pmdNumaMigrate: boolean;
  /** step 37: page->_last_nid exists (reset on free). */
  lastNid: boolean;
  /** step 38: split_huge_page copies the head's last_nid to the tails. */
  splitHugePageLastNid: boolean;
  /** step 39: alloc_misplaced_dst_page copies last_nid to the new page. */
  migrateCopiesLastNid: boolean;
  /** step 40: the two-stage filter: MORON migrates only on a second consecutive fault from the same node. */
  twoStageFilter: boolean;

  // ---- migration rate limiting and THP migration (steps 33-35, 45-47) --------------------------
  /** step 33: per-node rate-limit state (numabalancing_migrate_*). */
  migrateRatelimitState: boolean;
  /** step 34: at most ratelimit_pages per 100 ms window per destination node. */
  migrateRatelimit: boolean;
  /** step 35: task_numa_work marks nothing while the CPU's node is rate limited. */
  pteNumaRatelimit: boolean;
  /** step 45: misplaced THPs migrate whole (migrate_misplaced_transhuge_page) instead of being split. */
  thpMigrate: boolean;
  /** step 46: THP allocation and isolation failures count 512 in pgmigrate_fail. */
  thpMigrateFailAccounting: boolean;
  /** step 47: a THP charges HPAGE_PMD_NR pages to the rate limiter (1 before). */
  thpRatelimitChargesHpage: boolean;

  // ---- the anon_vma lock (steps 48-49) ---------------------------------------------------------
  /** steps 48-49: the anon_vma lock: a mutex; an rwsem always taken for write; rwsem with rmap walks taking it for read. */
  anonVmaLock: "mutex" | "rwsem" | "rwsem-read-walks";
}

export const BASELINE_FEATURES: Readonly<Features> = Object.freeze({
  CONFIG_NUMA_BALANCING: false,
  CONFIG_SCHED_DEBUG: true,
  pteAllocOnlyIfPmdNone: false,
  x86PtepSetAccessFlagsFlush: "flush_tlb_page",
  genericPtepSetAccessFlagsFixSpurious: false,
  pteAccessible: false,
  ptepClearFlushAccessibleOnly: false,
  changeProtectionCounts: false,
  changeProtectionFlushIfChanged: false,
  migrateStats: false,
  migrateTracepoint: false,
  compactionScanCounters: false,
  pageNumaDefined: false,
  pteNumaHelpers: false,
  follNuma: false,
  splitHugePageKeepsNuma: false,
  numaHintingFaults: false,
  mpolLocal: false,
  mpolNoop: "absent",
  mpolMisplaced: false,
  migrateMisplacedPage: "absent",
  numaFaultMigrates: false,
  mbindLazy: false,
  changeProtNuma: "absent",
  numaScanner: "none",
  schedFeatNumaDefault: false,
  scanPeriodMinMs: 0,
  scanPeriodMaxMs: 0,
  scanSizeMb: 0,
  scanDelayMs: 0,
  nextScanPeriods: 2,
  scanPeriodGrowth: "none",
  scanPeriodResetMs: 0,
  numaBalancingControl: false,
  numabalancingEnabledVar: false,
  delayScanUntilNewNode: false,
  numaVmstat: false,
  migrateOnReference: false,
  pmdNumaMigrate: false,
  lastNid: false,
  splitHugePageLastNid: false,
  migrateCopiesLastNid: false,
  twoStageFilter: false,
  migrateRatelimitState: false,
  migrateRatelimit: false,
  pteNumaRatelimit: false,
  thpMigrate: false,
  thpMigrateFailAccounting: false,
  thpRatelimitChargesHpage: false,
  anonVmaLock: "mutex",
});
