/**
 * mm/migrate.c, the automatic NUMA balancing part (steps 20-47): migrate_misplaced_page and its
 * helpers, the per-destination-node migration rate limit, and migrate_misplaced_transhuge_page.
 * Everything here is compiled only with CONFIG_NUMA_BALANCING (the header stubs return -EAGAIN,
 * or false for migrate_ratelimited), so each entry point checks the config as well as its gate.
 */
import {
  EAGAIN,
  GFP_HIGHUSER_MOVABLE,
  GFP_IOFS,
  GFP_THISNODE,
  GFP_TRANSHUGE,
  HPAGE_PMD_NR,
  HPAGE_PMD_ORDER,
  HPAGE_SIZE,
  MIGRATE_ASYNC,
  PAGE_SHIFT,
  PMD_SIZE,
  USER_BASE,
  VM_WRITE,
  PG_active,
  PG_head,
  PG_locked,
  __GFP_NOMEMALLOC,
  __GFP_NORETRY,
  __GFP_NOWARN,
  __GFP_WAIT,
  msecsToJiffies,
  type Kernel,
  type MmStruct,
  type SimLock,
  type Vma,
  pageMapcount,
  putPage,
  MR_NUMA_MISPLACED,
  pageToNid,
} from "@balancenuma/include-linux";
import { pmdMkdirty, pmdMkhuge, pmdMknonnuma, pmdMkwrite, vmGetPageProt } from "@balancenuma/arch-x86-pgtable";
import { NR_ISOLATED_ANON, NUMA_PAGE_MIGRATE, PGMIGRATE_FAIL, PGMIGRATE_SUCCESS, countVmEvents, countVmNumaEvents, modNodeState } from "@balancenuma/vmstat";
import { isolateLruPage, migratePageCopy, migratePages, putbackLruPage, putbackLruPages } from "./migrate.js";

/** Do not migrate more than ratelimit_pages to a node per this window (step 34). */
export const MIGRATE_INTERVAL_MILLISECS = 100;
/** The scanner stops marking while a node's window, closed less than this long ago, is saturated (step 35). */
export const PTEUPDATE_INTERVAL_MILLISECS = 1000;
/** ratelimit_pages: 128 MB per window, "1280M per second" (32768 pages of 4 KiB). */
export const RATELIMIT_PAGES = 128 << (20 - PAGE_SHIFT);

/** pglist_data's numabalancing_migrate_* fields of one node (step 33). */
export interface NumabalancingMigrate {
  /** numabalancing_migrate_next_window, jiffies. */
  nextWindow: number;
  /** numabalancing_migrate_nr_pages charged in the current window. */
  nrPages: number;
  /** numabalancing_migrate_lock (made at first use: a lock needs the kernel context). */
  lock: SimLock | null;
}

/** The per-node NUMA migration state of one kernel instance (pgdat fields live with their node). */
export class MisplacedState {
  private nodes: NumabalancingMigrate[] | null = null;
  /**
   * A test hook run between the THP copy and the pmd re-check of migrate_misplaced_transhuge_page,
   * standing in for another CPU that changes the pmd meanwhile (the model runs a call to completion).
   */
  thpRecheckHook: ((mm: MmStruct, pmdIdx: number) => void) | null = null;

  /**
   * The node's fields, or null when the kernel lacks them (before step 33, or without
   * CONFIG_NUMA_BALANCING). free_area_init_core set next_window = jiffies at boot: 0 in the model.
   */
  pgdat(k: Kernel, node: number): NumabalancingMigrate | null {
    if (!k.features.migrateRatelimitState || !k.features.CONFIG_NUMA_BALANCING) return null;
    if (this.nodes === null) this.nodes = k.topology.nodes.map(() => ({ nextWindow: 0, nrPages: 0, lock: null }));
    return this.nodes[node];
  }
}

/** time_after(a, b) on jiffies. */
const timeAfter = (a: number, b: number): boolean => a > b;

/**
 * mm/migrate.c: numamigrate_update_ratelimit (the inline block of step 34; a helper from step 45):
 * restart the destination node's window if it has passed, then refuse if the window already
 * holds more than ratelimit_pages, else charge `nrPages`. The charge comes before isolation and
 * is never refunded. True = rate limited.
 */
export function numamigrateUpdateRatelimit(k: Kernel, st: MisplacedState, node: number, nrPages: number): boolean {
  const pgdat = st.pgdat(k, node);
  if (pgdat === null) return false;
  if (pgdat.lock === null) pgdat.lock = k.newLock(`numabalancing_migrate_lock node ${node}`, "spinlock");
  k.lock(pgdat.lock, k.cost.lockNs);
  const now = k.jiffies();
  if (timeAfter(now, pgdat.nextWindow)) {
    pgdat.nrPages = 0;
    pgdat.nextWindow = now + msecsToJiffies(MIGRATE_INTERVAL_MILLISECS);
  }
  if (pgdat.nrPages > RATELIMIT_PAGES) return true;
  pgdat.nrPages += nrPages;
  return false;
}

/**
 * mm/migrate.c: migrate_ratelimited (step 35): is `node` saturated with misplaced-page
 * migrations? Not once its window closed more than 1 s ago; else when the window holds at least
 * ratelimit_pages (>=, where the migration side refuses only above it).
 */
export function migrateRatelimited(k: Kernel, st: MisplacedState, node: number): boolean {
  if (!k.features.pteNumaRatelimit || !k.features.CONFIG_NUMA_BALANCING) return false;
  const pgdat = st.pgdat(k, node);
  if (pgdat === null) return false;
  if (timeAfter(k.jiffies(), pgdat.nextWindow + msecsToJiffies(PTEUPDATE_INTERVAL_MILLISECS))) return false;
  return pgdat.nrPages >= RATELIMIT_PAGES;
}

/**
 * mm/migrate.c: migrate_balanced_pgdat: can the node take `nrMigratePages` more without dropping
 * to its high watermark (i.e. without waking kswapd)? The model's node is one zone.
 */
export function migrateBalancedPgdat(k: Kernel, node: number, nrMigratePages: number): boolean {
  return k.pageAlloc.watermarkOk(k, node, "high", nrMigratePages);
}

/**
 * mm/migrate.c: numamigrate_isolate_page (inline in migrate_misplaced_page until step 45): if the
 * target node has room, take the page off the LRU (the isolation holds its own reference) and
 * count it isolated. The caller's reference is dropped exactly once on every path, except at
 * step 20, where a full target node returned with it still held (a leak fixed by step 21).
 * Returns 1 if isolated.
 */
export function numamigrateIsolatePage(k: Kernel, node: number, pfn: number): number {
  const p = k.pages;
  if (!migrateBalancedPgdat(k, node, 1)) {
    if (k.features.migrateMisplacedPage !== "leaks-reference") putPage(k, pfn);
    return 0;
  }
  if (isolateLruPage(k, pfn) !== 0) {
    putPage(k, pfn);
    return 0;
  }
  modNodeState(k, pageToNid(p, pfn), NR_ISOLATED_ANON, p.flags[pfn] & PG_head ? HPAGE_PMD_NR : 1);
  putPage(k, pfn);
  return 1;
}

/**
 * mm/migrate.c: alloc_misplaced_dst_page: an order-0 page on exactly `node`, without reserves,
 * retries or reclaim I/O; from step 39 it inherits the old page's last_nid.
 */
export function allocMisplacedDstPage(k: Kernel, oldPfn: number, node: number): number {
  const gfp = (GFP_HIGHUSER_MOVABLE | GFP_THISNODE | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN) & ~GFP_IOFS;
  const newPfn = k.pageAlloc.allocPages(k, gfp, 0, node, null);
  if (newPfn >= 0 && k.features.migrateCopiesLastNid) k.pages.lastNid[newPfn] = k.pages.lastNid[oldPfn];
  return newPfn;
}

/**
 * mm/migrate.c: migrate_misplaced_page (step 20 on): move a page the caller (a hinting fault)
 * holds a reference on to `node`. Shared pages never move; from step 34 the destination's rate
 * limit is charged first. Returns 1 if the page moved, 0 if not, -EAGAIN from the
 * !CONFIG_NUMA_BALANCING stub (which leaves the reference alone).
 */
export function migrateMisplacedPage(k: Kernel, st: MisplacedState, pfn: number, node: number): number {
  if (k.features.migrateMisplacedPage === "absent" || !k.features.CONFIG_NUMA_BALANCING) return -EAGAIN;
  const p = k.pages;
  // Pages mapped by several processes stay where they are.
  if (pageMapcount(p, pfn) !== 1) {
    putPage(k, pfn);
    return 0;
  }
  if (k.features.migrateRatelimit && numamigrateUpdateRatelimit(k, st, node, 1)) {
    putPage(k, pfn);
    return 0;
  }
  if (!numamigrateIsolatePage(k, node, pfn)) return 0;
  const list = [pfn];
  const r = migratePages(k, list, (old) => allocMisplacedDstPage(k, old, node), MIGRATE_ASYNC, MR_NUMA_MISPLACED);
  if (r.error < 0 || r.failed + r.retry > 0) {
    putbackLruPages(k, list);
    return 0;
  }
  countVmNumaEvents(k, NUMA_PAGE_MIGRATE);
  return 1;
}

/**
 * mm/migrate.c: migrate_misplaced_transhuge_page (step 45 on): move a whole THP mapped by one huge
 * pmd to `node`. The caller holds the page lock and a reference. Shared pages and rate-limited
 * nodes refuse silently; a failed allocation or isolation counts 512 in pgmigrate_fail from step
 * 46. If the pmd changed while the copy ran, the new page is dropped, 512 failures are counted
 * and the function still returns 1 (it exits through the label returning `isolated`), so the
 * caller accounts the fault as migrated. No mm_migrate_pages event: migrate_pages is not used.
 * Returns 1 or 0 (-EAGAIN from the stub).
 */
export function migrateMisplacedTranshugePage(
  k: Kernel,
  st: MisplacedState,
  mm: MmStruct,
  vma: Vma,
  pmdIdx: number,
  _addr: number,
  pfn: number,
  node: number,
): number {
  if (!k.features.thpMigrate || !k.features.CONFIG_NUMA_BALANCING) return -EAGAIN;
  const p = k.pages;
  const pt = mm.pgtable;
  // The pmd the caller faulted on (do_huge_pmd_numa_page's `entry`).
  const entryFlags = pt.pmdFlags[pmdIdx];
  const entryPfn = pt.pmdVal[pmdIdx];
  if (pageMapcount(p, pfn) !== 1) {
    putPage(k, pfn);
    return 0;
  }
  // Step 47 charges what the THP really is; before it the helper charged 1 for any page.
  if (numamigrateUpdateRatelimit(k, st, node, k.features.thpRatelimitChargesHpage ? HPAGE_PMD_NR : 1)) {
    putPage(k, pfn);
    return 0;
  }
  const newPage = k.pageAlloc.allocPages(k, (GFP_TRANSHUGE | GFP_THISNODE) & ~__GFP_WAIT, HPAGE_PMD_ORDER, node, null);
  if (newPage < 0) {
    if (k.features.thpMigrateFailAccounting) countVmEvents(k, PGMIGRATE_FAIL, HPAGE_PMD_NR);
    putPage(k, pfn);
    return 0;
  }
  p.flags[newPage] |= PG_head;
  p.lastNid[newPage] = p.lastNid[pfn]; // page_xchg_last_nid
  if (!numamigrateIsolatePage(k, node, pfn)) {
    // The caller's reference went with the isolation attempt; the caller unlocks the page.
    if (k.features.thpMigrateFailAccounting) countVmEvents(k, PGMIGRATE_FAIL, HPAGE_PMD_NR);
    putPage(k, newPage);
    return 0;
  }
  // Prepare the target: locked, swap-backed, same anon_vma and index; copy_huge_page.
  p.flags[newPage] |= PG_locked;
  migratePageCopy(k, pfn, newPage, HPAGE_SIZE);
  st.thpRecheckHook?.(mm, pmdIdx);
  k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
  if (pt.pmdFlags[pmdIdx] !== entryFlags || pt.pmdVal[pmdIdx] !== entryPfn) {
    // Reverse what migrate_page_copy handed over, free the copy, put the old page back.
    if (p.flags[newPage] & PG_active) {
      p.flags[newPage] &= ~PG_active;
      p.flags[pfn] |= PG_active;
    }
    p.flags[newPage] &= ~PG_locked;
    p.anonVma[newPage] = 0;
    putPage(k, newPage);
    p.flags[pfn] &= ~PG_locked;
    putbackLruPage(k, pfn);
    countVmEvents(k, PGMIGRATE_FAIL, HPAGE_PMD_NR);
    modNodeState(k, pageToNid(p, pfn), NR_ISOLATED_ANON, -HPAGE_PMD_NR);
    return 1;
  }
  // The new huge pmd: the vma's protection, not numa, dirty, writable if the vma is, huge.
  let entry = pmdMknonnuma(k, vmGetPageProt(vma.flags));
  entry = pmdMkdirty(entry);
  if (vma.flags & VM_WRITE) entry = pmdMkwrite(entry); // maybe_pmd_mkwrite
  entry = pmdMkhuge(entry);
  k.rmap.pageAddAnonRmap(k, newPage, vma, USER_BASE + pmdIdx * PMD_SIZE, true);
  pt.pmdFlags[pmdIdx] = entry;
  pt.pmdVal[pmdIdx] = newPage;
  k.charge(k.cost.pteUpdateNs);
  k.rmap.pageRemoveRmap(k, pfn);
  p.flags[newPage] &= ~PG_locked;
  p.flags[pfn] &= ~PG_locked;
  // The rmap reference and the LRU isolation reference: the old THP goes back to the allocator.
  modNodeState(k, pageToNid(p, pfn), NR_ISOLATED_ANON, -HPAGE_PMD_NR);
  putPage(k, pfn);
  putPage(k, pfn);
  countVmEvents(k, PGMIGRATE_SUCCESS, HPAGE_PMD_NR);
  countVmNumaEvents(k, NUMA_PAGE_MIGRATE, HPAGE_PMD_NR);
  return 1;
}
