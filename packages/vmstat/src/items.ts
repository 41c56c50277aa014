/**
 * vm_event_item (include/linux/vm_event_item.h) and the per-node zone_stat_item counters the model
 * keeps, as numeric ids into Kernel.vm.events / Kernel.vm.nodeStat[nid]. The ids are the model's own;
 * which names /proc/vmstat prints, and in what order, at each step is decided in proc-vmstat.ts.
 */

// Events (vm_event_item). Zone-split events are kept per zone name the way /proc/vmstat prints them.
// Ids 0-5 and 7 (pgpgin, pgpgout, pswpin, pswpout, pgalloc_dma, pgalloc_dma32, pgalloc_movable)
// are printed but nothing in the model counts them by name.
export const PGALLOC_NORMAL = 6;
export const PGFREE = 8;
export const PGACTIVATE = 9;
export const PGDEACTIVATE = 10;
export const PGFAULT = 11;
export const PGMAJFAULT = 12;
export const ALLOCSTALL = 13;
export const PGROTATED = 14;
export const NUMA_PTE_UPDATES = 15;
export const NUMA_HINT_FAULTS = 16;
export const NUMA_HINT_FAULTS_LOCAL = 17;
export const NUMA_PAGE_MIGRATE = 18;
export const PGMIGRATE_SUCCESS = 19;
export const PGMIGRATE_FAIL = 20;
export const COMPACTBLOCKS = 21;
export const COMPACTPAGES = 22;
export const COMPACTPAGEFAILED = 23;
export const COMPACTMIGRATE_SCANNED = 24;
export const COMPACTFREE_SCANNED = 25;
export const COMPACTISOLATED = 26;
export const COMPACTSTALL = 27;
export const COMPACTFAIL = 28;
export const COMPACTSUCCESS = 29;
export const THP_FAULT_ALLOC = 30;
export const THP_FAULT_FALLBACK = 31;
export const THP_COLLAPSE_ALLOC = 32;
export const THP_COLLAPSE_ALLOC_FAILED = 33;
export const THP_SPLIT = 34;
export const NR_VM_EVENT_ITEMS = 35;

// Per-node state (zone_stat_item, summed over a node's zones).
export const NR_FREE_PAGES = 0;
export const NR_INACTIVE_ANON = 1;
export const NR_ACTIVE_ANON = 2;
export const NR_ANON_PAGES = 3;
export const NR_PAGETABLE = 4;
export const NR_ISOLATED_ANON = 5;
export const NR_ANON_TRANSPARENT_HUGEPAGES = 6;
export const NUMA_HIT = 7;
export const NUMA_MISS = 8;
export const NUMA_FOREIGN = 9;
export const NUMA_INTERLEAVE_HIT = 10;
export const NUMA_LOCAL = 11;
export const NUMA_OTHER = 12;
export const NR_VM_NODE_ITEMS = 13;
