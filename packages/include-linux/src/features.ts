/**
 * The gates: every behaviour a patch of the series adds or changes is a field here, the analogue of
 * a Kconfig option, a sched_feat() bit or a changed default. series/ steps set them; the model reads
 * them where the kernel decides. BASELINE_FEATURES is Linux 3.7-rc6 (step 0).
 */
export interface Features {
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
  /** step 48-49: the anon_vma lock: a mutex; an rwsem always taken for write; rwsem with rmap walks taking it for read. */
  anonVmaLock: "mutex" | "rwsem" | "rwsem-read-walks";
}

export const BASELINE_FEATURES: Readonly<Features> = Object.freeze({
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
  anonVmaLock: "mutex",
});
