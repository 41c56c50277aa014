/**
 * mm/migrate.c (Linux 3.7-rc6): LRU isolation and putback, the migrate_pages() core
 * (unmap_and_move with migration ptes), and the counters and trace event the series adds to it.
 */
import {
  EAGAIN,
  EBUSY,
  ENOMEM,
  MIGRATE_MODE_NAMES,
  PAGE_SIZE,
  PG_active,
  PG_anon,
  isShmemPage,
  PG_head,
  PG_locked,
  PG_lru,
  PG_swapbacked,
  HPAGE_PMD_ORDER,
  type Kernel,
  type MigrateResult,
  pageMapped,
  MR_COMPACTION,
  MR_MEMORY_FAILURE,
  MR_MEMORY_HOTPLUG,
  MR_MEMPOLICY_MBIND,
  MR_SYSCALL,
  mrCma,
  SYS_MIGRATION,
  SYS_MIGRATION_COPY,
  pageToNid,
} from "@balancenuma/include-linux";
import { NR_ISOLATED_ANON, PGMIGRATE_FAIL, PGMIGRATE_SUCCESS, countVmEvents, modNodeState } from "@balancenuma/vmstat";

/**
 * include/trace/events/migrate.h MIGRATE_REASON: the symbol table of the trace event, keyed by the
 * enum symbols. It was never extended for MR_NUMA_MISPLACED, so from step 20 that value prints
 * through __print_symbolic's fallback ("0x5") and "cma" follows MR_CMA to 6.
 */
function reasonSymbol(reason: number, hasNumaMisplaced: boolean): string | undefined {
  switch (reason) {
    case MR_COMPACTION:
      return "compaction";
    case MR_MEMORY_FAILURE:
      return "memory_failure";
    case MR_MEMORY_HOTPLUG:
      return "memory_hotplug";
    case MR_SYSCALL:
      return "syscall_or_cpuset";
    case MR_MEMPOLICY_MBIND:
      return "mempolicy_mbind";
    case mrCma(hasNumaMisplaced):
      return "cma";
    default:
      return undefined;
  }
}

/** __print_symbolic over MIGRATE_REASON: the name, or the value as "0x%lx". Default: the enum of step 20 on. */
export function migrateReasonString(reason: number, hasNumaMisplaced = true): string {
  return reasonSymbol(reason, hasNumaMisplaced) ?? `0x${reason.toString(16)}`;
}

/** The text of one migrate:mm_migrate_pages event (TP_printk of the tracepoint). */
export function mmMigratePagesText(succeeded: number, failed: number, mode: number, reason: number, hasNumaMisplaced = true): string {
  return `nr_succeeded=${succeeded} nr_failed=${failed} mode=${MIGRATE_MODE_NAMES[mode]} reason=${migrateReasonString(reason, hasNumaMisplaced)}`;
}

/** migrate_pages() gives up on pages still busy after this many passes. */
const MIGRATE_PASSES = 10;

/** Called when unmap_and_move finishes with a page it got a target for: rc 0 = moved to newPfn (the kernel's *result). */
export type MigrateResultHook = (oldPfn: number, rc: number, newPfn: number) => void;

/** mm/vmscan.c: isolate_lru_page: take the page off its LRU list (a reference is held while isolated). 0 or -EBUSY. */
export function isolateLruPage(k: Kernel, pfn: number): number {
  const p = k.pages;
  if (!(p.flags[pfn] & PG_lru)) return -EBUSY;
  k.charge(k.cost.lruIsolateNs);
  p.flags[pfn] &= ~PG_lru;
  p.refcount[pfn]++;
  return 0;
}

/**
 * mm/vmscan.c: putback_lru_page: back on the LRU, dropping the isolation reference; the page is
 * freed if that was the last one (a migrated-away page, or an unused migration target).
 */
export function putbackLruPage(k: Kernel, pfn: number): void {
  const p = k.pages;
  p.flags[pfn] |= PG_lru;
  if (p.refcount[pfn] > 0) p.refcount[pfn]--;
  if (p.refcount[pfn] === 0) k.pageAlloc.freePages(k, pfn, p.flags[pfn] & PG_head ? HPAGE_PMD_ORDER : 0);
}

/**
 * migrate_page_copy: the data and the page state the new page inherits; the copy of `bytes`
 * (a page, or 2 MiB for copy_huge_page) runs on this CPU and loads the memory bus both ways.
 */
export function migratePageCopy(k: Kernel, oldPfn: number, newPfn: number, bytes = PAGE_SIZE): void {
  const p = k.pages;
  p.flags[newPfn] |= p.flags[oldPfn] & (PG_anon | PG_swapbacked | PG_active);
  p.anonVma[newPfn] = p.anonVma[oldPfn];
  p.index[newPfn] = p.index[oldPfn];
  const bus = k.bus;
  const cpuNode = k.cpus[k.currentCpu].node;
  const from = pageToNid(p, oldPfn);
  const to = pageToNid(p, newPfn);
  bus.busyNs[cpuNode * bus.nodes + from] += bytes * bus.nsPerByte[cpuNode * bus.nodes + from];
  bus.busyNs[cpuNode * bus.nodes + to] += bytes * bus.nsPerByte[cpuNode * bus.nodes + to];
  k.charge(bus.copyNs(cpuNode, from, to, bytes), SYS_MIGRATION_COPY);
}

/**
 * mm/migrate.c: __unmap_and_move: lock the page, replace its ptes by migration entries, and if it
 * is then unmapped and nobody else holds it, copy it and point the entries at the new page. On any
 * failure the migration entries go back to the old page.
 */
function unmapAndMoveLocked(k: Kernel, oldPfn: number, newPfn: number): number {
  const p = k.pages;
  // trylock_page: nothing in the model sleeps holding a page lock, so a locked page stays busy.
  if (p.flags[oldPfn] & PG_locked) return -EAGAIN;
  p.flags[oldPfn] |= PG_locked;
  let rc = -EAGAIN;
  if (pageMapped(p, oldPfn)) k.rmap.tryToUnmap(k, oldPfn, true);
  if (!pageMapped(p, oldPfn)) {
    // migrate_page_move_mapping: only the isolation reference may remain, and for a shmem page the
    // page cache's, which moves to the new page in the object's slot.
    const shmem = isShmemPage(p, oldPfn);
    if (p.refcount[oldPfn] <= (shmem ? 2 : 1)) {
      if (shmem) {
        k.memory.shmemById(p.anonVma[oldPfn]).pages.set(p.index[oldPfn], newPfn);
        p.refcount[newPfn]++;
        p.refcount[oldPfn]--;
      }
      migratePageCopy(k, oldPfn, newPfn);
      rc = 0;
    }
  }
  if (rc === 0) {
    k.rmap.removeMigrationPtes(k, oldPfn, newPfn);
    p.anonVma[oldPfn] = 0; // page->mapping = NULL
    p.flags[oldPfn] &= ~(PG_anon | PG_swapbacked);
  } else {
    k.rmap.removeMigrationPtes(k, oldPfn, oldPfn);
  }
  p.flags[oldPfn] &= ~PG_locked;
  return rc;
}

/**
 * mm/migrate.c: unmap_and_move: get a target page, split a THP first (3.7 has no THP migration),
 * move, then put both pages back (the old one is freed by that when it moved, the new one when it
 * did not). Returns 0, -EAGAIN (try again), -ENOMEM (no target page) or another -errno (give up).
 */
export function unmapAndMove(k: Kernel, getNewPage: (oldPfn: number) => number, oldPfn: number, hook: MigrateResultHook | null): number {
  const newPfn = getNewPage(oldPfn);
  if (newPfn < 0) return -ENOMEM;
  const p = k.pages;
  let rc = 0;
  if (p.refcount[oldPfn] <= 1 && !pageMapped(p, oldPfn)) {
    // The page was freed from under us: only our isolation reference is left. Done.
  } else if (p.flags[oldPfn] & PG_head && k.hugeMemory.splitHugePage(k, oldPfn) !== 0) {
    // split_huge_page failed: 3.7 leaves rc at 0 and puts the page back.
  } else rc = unmapAndMoveLocked(k, oldPfn, newPfn);
  if (rc !== -EAGAIN) {
    modNodeState(k, pageToNid(p, oldPfn), NR_ISOLATED_ANON, -1);
    putbackLruPage(k, oldPfn);
  }
  putbackLruPage(k, newPfn);
  if (hook !== null) hook(oldPfn, rc, newPfn);
  return rc;
}

/**
 * mm/migrate.c: migrate_pages, with a hook for move_pages' per-page status. `pfns` is the list of
 * isolated pages; on return it holds the pages that were not finished with (still -EAGAIN after
 * the passes, or not reached after -ENOMEM), which are still isolated: the caller puts them back.
 */
export function migratePagesHooked(
  k: Kernel,
  pfns: number[],
  getNewPage: (oldPfn: number) => number,
  mode: number,
  reason: number,
  hook: MigrateResultHook | null,
): MigrateResult {
  const outer = k.sysPath;
  k.sysPath = SYS_MIGRATION;
  let nrSucceeded = 0;
  let nrFailed = 0;
  let retry = 1;
  let error = 0;
  for (let pass = 0; pass < MIGRATE_PASSES && retry > 0 && error === 0; pass++) {
    retry = 0;
    let w = 0;
    for (let i = 0; i < pfns.length; i++) {
      const pfn = pfns[i];
      if (error !== 0) {
        pfns[w++] = pfn;
        continue;
      }
      const rc = unmapAndMove(k, getNewPage, pfn, hook);
      if (rc === -ENOMEM) {
        error = -ENOMEM;
        pfns[w++] = pfn;
      } else if (rc === -EAGAIN) {
        retry++;
        pfns[w++] = pfn;
      } else if (rc === 0) nrSucceeded++;
      else nrFailed++;
    }
    pfns.length = w;
  }
  // The exit label: counters (step 09) and the tracepoint (step 10), also on the -ENOMEM abort.
  if (k.features.migrateStats) {
    if (nrSucceeded) countVmEvents(k, PGMIGRATE_SUCCESS, nrSucceeded);
    if (nrFailed) countVmEvents(k, PGMIGRATE_FAIL, nrFailed);
  }
  // The reason symbols follow the enum, which gained MR_NUMA_MISPLACED at step 20. As with the
  // kernel's static key, nothing is formatted unless the event is enabled.
  if (k.features.migrateTracepoint && k.trace.enabled("migrate:mm_migrate_pages"))
    k.trace.emit("migrate:mm_migrate_pages", mmMigratePagesText(nrSucceeded, nrFailed, mode, reason, k.features.migrateMisplacedPage !== "absent"));
  k.sysPath = outer;
  return { succeeded: nrSucceeded, failed: nrFailed, retry: error === 0 ? retry : 0, error };
}

/** mm/migrate.c: migrate_pages */
export function migratePages(k: Kernel, pfns: number[], getNewPage: (oldPfn: number) => number, mode: number, reason: number): MigrateResult {
  return migratePagesHooked(k, pfns, getNewPage, mode, reason, null);
}

/** mm/migrate.c: putback_lru_pages: return every page left on a migration list to the LRU. */
export function putbackLruPages(k: Kernel, pfns: readonly number[]): void {
  for (const pfn of pfns) {
    modNodeState(k, pageToNid(k.pages, pfn), NR_ISOLATED_ANON, -1);
    putbackLruPage(k, pfn);
  }
}
