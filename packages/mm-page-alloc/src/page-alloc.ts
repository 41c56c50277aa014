/**
 * mm/page_alloc.c: per-node free memory, watermarks and the zonelist walk.
 *
 * Each node has one zone (ZONE_NORMAL). Its pfn range is cut into 512-page pageblocks (the THP
 * size, HPAGE_PMD_ORDER). The model keeps orders 0 and 9 only:
 * - an order-9 request takes a wholly free, 512-aligned block;
 * - an order-0 request prefers a block that is already split (partly free) and only splits a whole
 *   block when no split block has a free page, which keeps whole blocks for THP the way the buddy
 *   allocator's smallest-first search does.
 * Per block: free count, a LIFO list of freed pages threaded through the free pages' own
 * page->index (an in-block index; a free page has no index of its own), and a bump cursor (pages at or after it were never handed out since the block
 * was last whole by an order-9 free or boot). Blocks sit on per-node intrusive lists (split /
 * whole), so every operation is O(1) apart from touching the 512 pages of an order-9 request.
 * Host memory: no bytes per page beyond struct page, and 15 per block of 512 pages.
 *
 * Memory starts at pfn 1: as on x86-64 (arch/x86/kernel/e820.c: trim_bios_range reserves the
 * first page of RAM), pfn 0 lies outside every zone. memmap_init_zone never initialises its
 * struct page, which therefore reads as zeroes (_mapcount 0, so page_mapcount() 1); the block
 * holding it can never be whole, so it never backs a huge page. The next pfn is the kernel image's
 * empty_zero_page (ZERO_PFN): reserved, never on a free list, one reference for ever.
 *
 * Not modelled: reclaim and kswapd (an allocation that finds no node above its watermark fails),
 * compaction, ALLOC_HIGH/ALLOC_HARDER reserves, per-cpu page lists, other memory holes.
 */
import {
  GFP_THISNODE,
  HPAGE_PMD_NR,
  HPAGE_PMD_ORDER,
  LAST_NID_NONE,
  PAGE_SIZE,
  PG_buddy,
  PG_head,
  PG_reserved,
  PG_tail,
  ZERO_PFN,
  __GFP_COMP,
  __GFP_HARDWALL,
  __GFP_THISNODE,
  __GFP_ZERO,
  type Kernel,
  type Nodemask,
  type PageAllocOps,
  type PageFrames,
  resetPageLastNid,
  SYS_PAGE_ALLOC,
  SYS_PAGE_CLEAR,
  pageToNid,
} from "@balancenuma/include-linux";
import type { Topology } from "@balancenuma/machine";
import {
  NR_FREE_PAGES,
  NUMA_FOREIGN,
  NUMA_HIT,
  NUMA_LOCAL,
  NUMA_MISS,
  NUMA_OTHER,
  PGALLOC_NORMAL,
  PGFREE,
  countVmEvents,
  modNodeState,
} from "@balancenuma/vmstat";

const BLOCK_SHIFT = HPAGE_PMD_ORDER;
const BLOCK_PAGES = HPAGE_PMD_NR;
const NONE = 0xffff;
const FULL = 0;
const SPLIT = 1;
const WHOLE = 2;

/** The first pfn of node 0's first zone: pfn 0 is reserved firmware memory (trim_bios_range). */
export const FIRST_ZONE_PFN = 1;
/** The first pfn free_all_bootmem hands to the buddy lists: the zero page (ZERO_PFN) stays reserved. */
const FIRST_FREE_PFN = ZERO_PFN + 1;

/** The min/low/high watermarks of one node, in pages. */
export interface Watermarks {
  min: number;
  low: number;
  high: number;
}

/**
 * mm/page_alloc.c: init_per_zone_wmark_min + __setup_per_zone_wmarks. min_free_kbytes is
 * sqrt(16 x lowmem KiB) clamped to 128..65536 KiB (or the vm.min_free_kbytes sysctl when set
 * non-zero); each node gets a share proportional to its size; low = min*5/4, high = min*3/2.
 */
export function setupPerZoneWmarks(nodePages: readonly number[], minFreeKbytes: number): Watermarks[] {
  const total = nodePages.reduce((a, b) => a + b, 0);
  let kb = minFreeKbytes;
  if (!(kb > 0)) kb = Math.min(65536, Math.max(128, Math.floor(Math.sqrt(total * (PAGE_SIZE >> 10) * 16))));
  const pagesMin = Math.floor(kb / (PAGE_SIZE >> 10));
  return nodePages.map((p) => {
    const min = Math.floor((pagesMin * p) / total);
    return { min, low: min + (min >> 2), high: min + (min >> 1) };
  });
}

/** build_zonelists (node order): all nodes by SLIT distance from nid, nearest first, ties by id. */
export function buildZonelist(topology: Topology, nid: number): number[] {
  const ids = topology.nodes.map((n) => n.id);
  return ids.sort((a, b) => topology.distance[nid][a] - topology.distance[nid][b] || a - b);
}

/** mm/page_alloc.c: the buddy allocator of one machine (its PageAllocOps). */
export class PageAllocator implements PageAllocOps {
  private readonly nodes: number;
  private readonly nodeBase: number[];
  private readonly nodeCount: number[];
  private readonly free: number[];
  private readonly zonelists: number[][];
  private readonly thisNode: number[][];
  private wmarks: Watermarks[] | null = null;

  private readonly blockFree: Uint16Array;
  private readonly blockHead: Uint16Array;
  private readonly blockBump: Uint16Array;
  private readonly blockState: Uint8Array;
  private readonly blockPrev: Int32Array;
  private readonly blockNext: Int32Array;
  /** List heads per node: [nid * 3 + state] (FULL's list is unused). */
  private readonly listHead: Int32Array;

  private maskCache: Nodemask | null = null;
  private readonly allNodes: Nodemask;
  private readonly maskAllowed: Uint8Array;

  constructor(
    private readonly topology: Topology,
    private readonly pages: PageFrames,
  ) {
    const n = topology.nodes.length;
    this.nodes = n;
    this.nodeBase = [];
    this.nodeCount = [];
    let base = 0;
    for (const node of topology.nodes) {
      const count = Math.floor(node.memBytes / PAGE_SIZE);
      if (count % BLOCK_PAGES !== 0) throw new Error(`node ${node.id}: ${count} pages is not a whole number of 2 MiB blocks`);
      this.nodeBase.push(base);
      this.nodeCount.push(count);
      base += count;
    }
    if (base !== pages.nrPages) throw new Error(`topology has ${base} pages but struct page has ${pages.nrPages}`);
    this.free = this.nodeCount.slice();
    this.free[0] -= FIRST_FREE_PFN;
    this.zonelists = topology.nodes.map((node) => buildZonelist(topology, node.id));
    this.thisNode = topology.nodes.map((node) => [node.id]);
    this.maskAllowed = new Uint8Array(n);
    this.allNodes = (1n << BigInt(n)) - 1n;

    const nBlocks = base >> BLOCK_SHIFT;
    this.blockFree = new Uint16Array(nBlocks).fill(BLOCK_PAGES);
    this.blockHead = new Uint16Array(nBlocks).fill(NONE);
    this.blockBump = new Uint16Array(nBlocks);
    this.blockState = new Uint8Array(nBlocks).fill(WHOLE);
    this.blockPrev = new Int32Array(nBlocks).fill(-1);
    this.blockNext = new Int32Array(nBlocks).fill(-1);
    this.listHead = new Int32Array(n * 3).fill(-1);
    // memmap_init_zone over every zone's pfns (then free_all_bootmem frees them to the buddy
    // lists). reset_page_last_nid (step 37): the storage starts at -1; before step 37 the field
    // does not exist and page_last_nid() answers page_to_nid() without reading it.
    pages.flags.fill(PG_buddy, FIRST_FREE_PFN);
    pages._mapcount.fill(-1, FIRST_ZONE_PFN);
    pages.lastNid.fill(LAST_NID_NONE, FIRST_ZONE_PFN);
    pages.flags[ZERO_PFN] = PG_reserved;
    pages.refcount[ZERO_PFN] = 1;
    // The block holding the hole starts split, with its first pfns already "handed out".
    this.blockFree[0] -= FIRST_FREE_PFN;
    this.blockBump[0] = FIRST_FREE_PFN;
    // Whole-block lists in ascending pfn order: push from the top down.
    for (let nid = 0; nid < n; nid++) {
      const first = this.nodeBase[nid] >> BLOCK_SHIFT;
      for (let b = first + (this.nodeCount[nid] >> BLOCK_SHIFT) - 1; b >= first; b--) this.listAdd(nid, b, this.blockFree[b] === BLOCK_PAGES ? WHOLE : SPLIT);
    }
  }

  nodeFreePages(nid: number): number {
    return this.free[nid];
  }

  zonelist(nid: number): readonly number[] {
    return this.zonelists[nid];
  }

  /** The watermarks in use (computed at first use from vm.min_free_kbytes, as at boot). */
  watermarks(k: Kernel): readonly Watermarks[] {
    if (this.wmarks === null) {
      const kb = k.sysctl.has("vm.min_free_kbytes") ? k.sysctl.get("vm.min_free_kbytes") : 0;
      this.wmarks = setupPerZoneWmarks(this.nodeCount, kb);
    }
    return this.wmarks;
  }

  /** mm/page_alloc.c: zone_watermark_ok(zone, 0, mark + pages): more than mark + pages free. */
  watermarkOk(k: Kernel, nid: number, mark: "min" | "low" | "high", pages: number): boolean {
    return this.free[nid] > this.watermarks(k)[nid][mark] + pages;
  }

  /**
   * mm/page_alloc.c: __alloc_pages_nodemask. Walk the zonelist of `nid` (just `nid` with
   * __GFP_THISNODE) within `nodemask`: first taking a node only above its low watermark
   * (get_page_from_freelist's fast path), then, after the slow path's point where kswapd would be
   * woken, above min. A full GFP_THISNODE request gives up after the first pass, as 3.7's slow path
   * does. Returns the first pfn or -1.
   */
  allocPages(k: Kernel, gfp: number, order: number, nid: number, nodemask: Nodemask | null): number {
    if (order !== 0 && order !== HPAGE_PMD_ORDER) throw new Error(`alloc_pages: order ${order} is not modelled (only 0 and ${HPAGE_PMD_ORDER})`);
    const localNode = k.cpus.length ? k.cpus[k.currentCpu].node : 0;
    if (nid < 0 || nid >= this.nodes) nid = localNode;
    const zl = gfp & __GFP_THISNODE ? this.thisNode[nid] : this.zonelists[nid];
    const allowed = this.allowedNodes(this.cpusetMask(k, gfp, nodemask));
    // first_zones_zonelist: the preferred zone is the first one the nodemask allows.
    let preferred = -1;
    for (let i = 0; i < zl.length; i++)
      if (allowed === null || allowed[zl[i]]) {
        preferred = zl[i];
        break;
      }
    k.charge(k.cost.pageAllocNs, SYS_PAGE_ALLOC);
    if (preferred < 0) return -1;
    const wm = this.watermarks(k);
    const nr = 1 << order;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < zl.length; i++) {
        const node = zl[i];
        if (allowed !== null && !allowed[node]) continue;
        const mark = pass === 0 ? wm[node].low : wm[node].min;
        // zone_watermark_ok: free - 2^order + 1 > mark.
        if (this.free[node] - nr < mark) continue;
        const pfn = order === 0 ? this.takePage(node) : this.takeBlock(node);
        if (pfn < 0) continue;
        this.prepNewPage(k, pfn, order, gfp, node, localNode);
        countVmEvents(k, PGALLOC_NORMAL, nr);
        modNodeState(k, node, NR_FREE_PAGES, -nr);
        // zone_statistics
        if (node === preferred) modNodeState(k, node, NUMA_HIT, 1);
        else {
          modNodeState(k, node, NUMA_MISS, 1);
          modNodeState(k, preferred, NUMA_FOREIGN, 1);
        }
        modNodeState(k, node, node === localNode ? NUMA_LOCAL : NUMA_OTHER, 1);
        return pfn;
      }
      if ((gfp & GFP_THISNODE) === GFP_THISNODE) break;
    }
    return -1;
  }

  /** mm/page_alloc.c: __free_pages. Resets the struct page (refcount, mapcount, mapping; last_nid from step 37). */
  freePages(k: Kernel, pfn: number, order: number): void {
    const p = this.pages;
    const nid = pageToNid(p, pfn);
    const b = pfn >> BLOCK_SHIFT;
    k.charge(k.cost.pageAllocNs, SYS_PAGE_ALLOC);
    if (order === 0) {
      if (p.flags[pfn] & PG_buddy) throw new Error(`free_pages: pfn ${pfn} is already free`);
      this.resetPage(k, pfn);
      // A free page's link to the next free page of its block lives in its unused page->index, as
      // the kernel links free pages through fields a page in use needs for other things.
      p.index[pfn] = this.blockHead[b];
      this.blockHead[b] = pfn & (BLOCK_PAGES - 1);
      const f = ++this.blockFree[b];
      const state = f === BLOCK_PAGES ? WHOLE : SPLIT;
      if (state !== this.blockState[b]) this.setState(nid, b, state);
    } else if (order === HPAGE_PMD_ORDER) {
      if (pfn & (BLOCK_PAGES - 1)) throw new Error(`free_pages: order-9 pfn ${pfn} is not 512-aligned`);
      if (this.blockFree[b] !== 0) throw new Error(`free_pages: block of pfn ${pfn} is partly free`);
      for (let i = pfn; i < pfn + BLOCK_PAGES; i++) this.resetPage(k, i);
      this.blockFree[b] = BLOCK_PAGES;
      this.blockHead[b] = NONE;
      this.blockBump[b] = 0;
      this.setState(nid, b, WHOLE);
    } else throw new Error(`free_pages: order ${order} is not modelled`);
    const nr = 1 << order;
    this.free[nid] += nr;
    countVmEvents(k, PGFREE, nr);
    modNodeState(k, nid, NR_FREE_PAGES, nr);
  }

  // ---- internals -------------------------------------------------------------------------------

  /** free_pages_check and friends: the struct page of a freed page. */
  private resetPage(k: Kernel, pfn: number): void {
    const p = this.pages;
    p.flags[pfn] = PG_buddy;
    p.refcount[pfn] = 0;
    p._mapcount[pfn] = -1;
    p.anonVma[pfn] = 0;
    p.index[pfn] = 0;
    // Step 37: free_pages_check resets page->_last_nid (a field that exists only from then).
    resetPageLastNid(k, pfn);
  }

  /** prep_new_page: a fresh page has one reference, no mapping; compound pages get head/tail. */
  private prepNewPage(k: Kernel, pfn: number, order: number, gfp: number, node: number, localNode: number): void {
    const p = this.pages;
    const nr = 1 << order;
    const comp = order > 0 && (gfp & __GFP_COMP) !== 0;
    for (let i = pfn; i < pfn + nr; i++) {
      p.flags[i] = comp ? (i === pfn ? PG_head : PG_tail) : 0;
      p.refcount[i] = i === pfn || !comp ? 1 : 0;
      p._mapcount[i] = -1;
      p.anonVma[i] = 0;
      p.index[i] = 0;
    }
    if (gfp & __GFP_ZERO) {
      // prep_zero_page: clear the pages on this CPU at its streaming rate to that node.
      const bus = k.bus;
      const idx = localNode * bus.nodes + node;
      const ns = nr * PAGE_SIZE * bus.nsPerByte[idx];
      bus.busyNs[idx] += ns;
      k.charge(ns, SYS_PAGE_CLEAR);
    }
  }

  private takePage(nid: number): number {
    let b = this.listHead[nid * 3 + SPLIT];
    if (b < 0) b = this.listHead[nid * 3 + WHOLE];
    if (b < 0) return -1;
    const base = b << BLOCK_SHIFT;
    let idx = this.blockHead[b];
    if (idx !== NONE) this.blockHead[b] = this.pages.index[base + idx];
    else idx = this.blockBump[b]++;
    const f = --this.blockFree[b];
    const state = f === 0 ? FULL : SPLIT;
    if (state !== this.blockState[b]) this.setState(nid, b, state);
    this.free[nid]--;
    return base + idx;
  }

  private takeBlock(nid: number): number {
    const b = this.listHead[nid * 3 + WHOLE];
    if (b < 0) return -1;
    this.blockFree[b] = 0;
    this.blockHead[b] = NONE;
    this.blockBump[b] = BLOCK_PAGES;
    this.setState(nid, b, FULL);
    this.free[nid] -= BLOCK_PAGES;
    return b << BLOCK_SHIFT;
  }

  private setState(nid: number, b: number, state: number): void {
    const old = this.blockState[b];
    if (old !== FULL) this.listDel(nid, b, old);
    this.blockState[b] = state;
    if (state !== FULL) this.listAdd(nid, b, state);
  }

  private listAdd(nid: number, b: number, state: number): void {
    const h = nid * 3 + state;
    const head = this.listHead[h];
    this.blockPrev[b] = -1;
    this.blockNext[b] = head;
    if (head >= 0) this.blockPrev[head] = b;
    this.listHead[h] = b;
    this.blockState[b] = state;
  }

  private listDel(nid: number, b: number, state: number): void {
    const prev = this.blockPrev[b];
    const next = this.blockNext[b];
    if (prev >= 0) this.blockNext[prev] = next;
    else this.listHead[nid * 3 + state] = next;
    if (next >= 0) this.blockPrev[next] = prev;
    this.blockPrev[b] = this.blockNext[b] = -1;
  }

  /**
   * cpuset_zone_allowed_softwall (ALLOC_CPUSET): a __GFP_HARDWALL allocation (user pages) in the
   * context of a task stays within the task's mems_allowed, unless it asks for one exact node
   * (__GFP_THISNODE: move_pages' and NUMA migration's targets); the whole node set needs no mask.
   */
  private cpusetMask(k: Kernel, gfp: number, nodemask: Nodemask | null): Nodemask | null {
    const mems = gfp & __GFP_HARDWALL && !(gfp & __GFP_THISNODE) && k.current !== null ? k.current.memsAllowed : 0n;
    if (mems === 0n || mems === this.allNodes) return nodemask;
    return nodemask === null ? mems : nodemask & mems;
  }

  private allowedNodes(mask: Nodemask | null): Uint8Array | null {
    if (mask === null) return null;
    if (mask !== this.maskCache) {
      for (let n = 0; n < this.nodes; n++) this.maskAllowed[n] = Number((mask >> BigInt(n)) & 1n);
      this.maskCache = mask;
    }
    return this.maskAllowed;
  }
}
