import type { Features, VmCounters } from "@balancenuma/include-linux";
import * as I from "./items.js";

/** A /proc/vmstat line: its name and where its value comes from (null = not modelled, always 0). */
interface Line {
  readonly name: string;
  readonly node?: number;
  readonly event?: number;
}

const zone = (name: string, node?: number): Line => ({ name, node });
const ev = (name: string, event?: number): Line => ({ name, event });
const zones = (prefix: string, normal?: number): Line[] => [
  ev(`${prefix}_dma`),
  ev(`${prefix}_dma32`),
  ev(`${prefix}_normal`, normal),
  ev(`${prefix}_movable`),
];

/** zone_stat_item names (vmstat_text[] head) for a NUMA x86-64 kernel of 3.7/3.8. */
const ZONE_LINES: Line[] = [
  zone("nr_free_pages", I.NR_FREE_PAGES),
  zone("nr_inactive_anon", I.NR_INACTIVE_ANON),
  zone("nr_active_anon", I.NR_ACTIVE_ANON),
  zone("nr_inactive_file"),
  zone("nr_active_file"),
  zone("nr_unevictable"),
  zone("nr_mlock"),
  zone("nr_anon_pages", I.NR_ANON_PAGES),
  zone("nr_mapped"),
  zone("nr_file_pages"),
  zone("nr_dirty"),
  zone("nr_writeback"),
  zone("nr_slab_reclaimable"),
  zone("nr_slab_unreclaimable"),
  zone("nr_page_table_pages", I.NR_PAGETABLE),
  zone("nr_kernel_stack"),
  zone("nr_unstable"),
  zone("nr_bounce"),
  zone("nr_vmscan_write"),
  zone("nr_vmscan_immediate_reclaim"),
  zone("nr_writeback_temp"),
  zone("nr_isolated_anon", I.NR_ISOLATED_ANON),
  zone("nr_isolated_file"),
  zone("nr_shmem"),
  zone("nr_dirtied"),
  zone("nr_written"),
  zone("numa_hit", I.NUMA_HIT),
  zone("numa_miss", I.NUMA_MISS),
  zone("numa_foreign", I.NUMA_FOREIGN),
  zone("numa_interleave", I.NUMA_INTERLEAVE_HIT),
  zone("numa_local", I.NUMA_LOCAL),
  zone("numa_other", I.NUMA_OTHER),
  zone("nr_anon_transparent_hugepages", I.NR_ANON_TRANSPARENT_HUGEPAGES),
  zone("nr_free_cma"),
  zone("nr_dirty_threshold"),
  zone("nr_dirty_background_threshold"),
];

/**
 * vm_event_item names in enum order (vmstat_text[] tail) for the kernel built with `f`: an x86-64
 * NUMA, COMPACTION, MIGRATION, HUGETLB_PAGE, TRANSPARENT_HUGEPAGE build of 3.7-rc6 plus the series.
 *
 * Basis (recalled from include/linux/vm_event_item.h and mm/vmstat.c of 3.7/3.8; no source was at
 * hand to re-read): `kswapd_skip_congestion_wait` still exists at 3.7 (a later kswapd rework, after
 * 3.8, removed it); `unevictable_pgs_mlockfreed` still exists although "mm: remove free_page_mlock"
 * (3.7-rc1) left nothing to count it: the item stayed, always 0, so the file's layout did not
 * change (a later release dropped it); `pgscan_direct_throttle` (3.6) and `zone_reclaim_failed`
 * (CONFIG_NUMA) are there; the THP items end at `thp_split` (`thp_zero_page_alloc*` came with the
 * huge zero page in 3.8, not with this series). The series inserts after `pgrotated` the numa_*
 * items (step 30, only with CONFIG_NUMA_BALANCING), then pgmigrate_* (step 09, CONFIG_MIGRATION),
 * which replace compaction's compact_blocks_moved, compact_pages_moved and
 * compact_pagemigrate_failed; step 11 adds the scanned/isolated items before compact_stall.
 */
function eventLines(f: Readonly<Features>): Line[] {
  const numaBalancing = f.numaVmstat && f.CONFIG_NUMA_BALANCING;
  return [
    ev("pgpgin"),
    ev("pgpgout"),
    ev("pswpin"),
    ev("pswpout"),
    ...zones("pgalloc", I.PGALLOC_NORMAL),
    ev("pgfree", I.PGFREE),
    ev("pgactivate", I.PGACTIVATE),
    ev("pgdeactivate", I.PGDEACTIVATE),
    ev("pgfault", I.PGFAULT),
    ev("pgmajfault", I.PGMAJFAULT),
    ...zones("pgrefill"),
    ...zones("pgsteal_kswapd"),
    ...zones("pgsteal_direct"),
    ...zones("pgscan_kswapd"),
    ...zones("pgscan_direct"),
    ev("pgscan_direct_throttle"),
    ev("zone_reclaim_failed"),
    ev("pginodesteal"),
    ev("slabs_scanned"),
    ev("kswapd_inodesteal"),
    ev("kswapd_low_wmark_hit_quickly"),
    ev("kswapd_high_wmark_hit_quickly"),
    ev("kswapd_skip_congestion_wait"),
    ev("pageoutrun"),
    ev("allocstall", I.ALLOCSTALL),
    ev("pgrotated", I.PGROTATED),
    ...(numaBalancing
      ? [
          ev("numa_pte_updates", I.NUMA_PTE_UPDATES),
          ev("numa_hint_faults", I.NUMA_HINT_FAULTS),
          ev("numa_hint_faults_local", I.NUMA_HINT_FAULTS_LOCAL),
          ev("numa_pages_migrated", I.NUMA_PAGE_MIGRATE),
        ]
      : []),
    ...(f.migrateStats ? [ev("pgmigrate_success", I.PGMIGRATE_SUCCESS), ev("pgmigrate_fail", I.PGMIGRATE_FAIL)] : []),
    ...(f.migrateStats
      ? []
      : [ev("compact_blocks_moved", I.COMPACTBLOCKS), ev("compact_pages_moved", I.COMPACTPAGES), ev("compact_pagemigrate_failed", I.COMPACTPAGEFAILED)]),
    ...(f.compactionScanCounters
      ? [ev("compact_migrate_scanned", I.COMPACTMIGRATE_SCANNED), ev("compact_free_scanned", I.COMPACTFREE_SCANNED), ev("compact_isolated", I.COMPACTISOLATED)]
      : []),
    ev("compact_stall", I.COMPACTSTALL),
    ev("compact_fail", I.COMPACTFAIL),
    ev("compact_success", I.COMPACTSUCCESS),
    ev("htlb_buddy_alloc_success"),
    ev("htlb_buddy_alloc_fail"),
    ev("unevictable_pgs_culled"),
    ev("unevictable_pgs_scanned"),
    ev("unevictable_pgs_rescued"),
    ev("unevictable_pgs_mlocked"),
    ev("unevictable_pgs_munlocked"),
    ev("unevictable_pgs_cleared"),
    ev("unevictable_pgs_stranded"),
    ev("unevictable_pgs_mlockfreed"),
    ev("thp_fault_alloc", I.THP_FAULT_ALLOC),
    ev("thp_fault_fallback", I.THP_FAULT_FALLBACK),
    ev("thp_collapse_alloc", I.THP_COLLAPSE_ALLOC),
    ev("thp_collapse_alloc_failed", I.THP_COLLAPSE_ALLOC_FAILED),
    ev("thp_split", I.THP_SPLIT),
  ];
}

/** The counters of a kernel built with `f`, by /proc/vmstat name, in file order. */
export function vmstatEntries(vm: VmCounters, f: Readonly<Features>): [string, number][] {
  const out: [string, number][] = [];
  for (const l of ZONE_LINES) {
    let v = 0;
    if (l.node !== undefined) for (const s of vm.nodeStat) v += s[l.node];
    out.push([l.name, v]);
  }
  for (const l of eventLines(f)) out.push([l.name, l.event === undefined ? 0 : vm.events[l.event]]);
  return out;
}

/** /proc/vmstat as the kernel prints it: "name value" lines. */
export function renderProcVmstat(vm: VmCounters, f: Readonly<Features>): string {
  return (
    vmstatEntries(vm, f)
      .map(([n, v]) => `${n} ${v}`)
      .join("\n") + "\n"
  );
}
