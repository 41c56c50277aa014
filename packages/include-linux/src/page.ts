/**
 * struct page as struct-of-arrays: one typed array per field, indexed by pfn. One JS object per
 * page would cap the model at toy sizes; this costs PAGE_STRUCT_BYTES bytes per simulated page.
 */

import type { Features } from "./features.js";

/** page->flags bits (include/linux/page-flags.h, the ones the model needs). */
export const PG_locked = 1 << 0;
export const PG_lru = 1 << 1;
export const PG_active = 1 << 2;
export const PG_head = 1 << 3;
export const PG_tail = 1 << 4;
export const PG_swapbacked = 1 << 5;
export const PG_unevictable = 1 << 6;
/** The page is free in the buddy allocator (PageBuddy; a _mapcount value in the kernel). */
export const PG_buddy = 1 << 7;
/** The page holds a page table (PageTable accounting). */
export const PG_pgtable = 1 << 8;
/** The page is anonymous (PageAnon: mapping has PAGE_MAPPING_ANON set). */
export const PG_anon = 1 << 9;
/** The page is under migration (a migration entry points to it). */
export const PG_migrating = 1 << 10;
/** The page is never freed or migrated (PageReserved): the kernel image's pages, the zero page. */
export const PG_reserved = 1 << 11;

/**
 * The pfn of empty_zero_page (ZERO_PAGE, my_zero_pfn on x86): one reserved page of the kernel
 * image on node 0, the first of its zone, that read faults on never-written private anonymous
 * memory map (special ptes, no rmap, no rss, no reference) until the first write copies it.
 */
export const ZERO_PFN = 1;
/** include/linux/mm.h: is_zero_pfn. */
export const isZeroPfn = (pfn: number): boolean => pfn === ZERO_PFN;

/** include/linux/mm.h: page_mapcount: how many ptes/pmds map the page (_mapcount + 1). */
export const pageMapcount = (pages: PageFrames, pfn: number): number => pages._mapcount[pfn] + 1;

/** include/linux/mm.h: page_mapped: at least one pte/pmd maps the page. */
export const pageMapped = (pages: PageFrames, pfn: number): boolean => pages._mapcount[pfn] >= 0;

/** page->_last_nid when unset (reset_page_last_nid). */
export const LAST_NID_NONE = -1;
/** No anon_vma (page->mapping NULL). */
export const NO_ANON_VMA = 0;

/** log2 of the pages of one blockNid entry (2 MiB of 4 KiB pages). */
export const NID_BLOCK_SHIFT = 9;
const NID_BLOCK_PAGES = 1 << NID_BLOCK_SHIFT;

/** include/linux/mm.h: page_to_nid. */
export const pageToNid = (pages: PageFrames, pfn: number): number => pages.blockNid[pfn >>> NID_BLOCK_SHIFT];

export class PageFrames {
  readonly nrPages: number;
  /**
   * The node of each 2 MiB block of pfns (page_to_nid reads it: pageToNid). x86-64 keeps a page's
   * node in page->flags; every page of a block lies on one node (node sizes are multiples of 2 MiB,
   * machine's topology parser checks), so one byte per 512 pages holds what a byte per page would.
   */
  readonly blockNid: Uint8Array;
  readonly flags: Uint16Array;
  /**
   * page->_mapcount as the kernel keeps it: ptes/pmds mapping the page minus one, so -1 = unmapped
   * (memmap_init_zone and free set -1). page_mapcount() adds one. A THP's count is on its head.
   */
  readonly _mapcount: Int16Array;
  /** page_count(): references (mappings, LRU isolation, gup pins, in-flight migration). */
  readonly refcount: Uint16Array;
  /** page->_last_nid (exists from "mm: numa: Introduce last_nid to the page frame"). */
  readonly lastNid: Int8Array;
  /** page->mapping for anon pages: the anon_vma id (0 = none). */
  readonly anonVma: Uint32Array;
  /** page->index for anon pages: linear page offset ((addr - USER_BASE) >> PAGE_SHIFT at first fault). */
  readonly index: Uint32Array;

  constructor(nodePages: readonly number[]) {
    this.nrPages = nodePages.reduce((a, b) => a + b, 0);
    const n = this.nrPages;
    this.blockNid = new Uint8Array(Math.ceil(n / NID_BLOCK_PAGES));
    this.flags = new Uint16Array(n);
    this._mapcount = new Int16Array(n);
    this.refcount = new Uint16Array(n);
    // Zero-filled, as the vmemmap is: mm-page-alloc's memmap_init_zone initialises the pages of
    // each zone. A page outside every zone (x86-64's pfn 0) keeps these zeroes.
    this.lastNid = new Int8Array(n);
    this.anonVma = new Uint32Array(n);
    this.index = new Uint32Array(n);
    let pfn = 0;
    nodePages.forEach((count, node) => {
      if (count % NID_BLOCK_PAGES !== 0) throw new Error(`node ${node} has ${count} pages, not a multiple of ${NID_BLOCK_PAGES} (2 MiB)`);
      this.blockNid.fill(node, pfn / NID_BLOCK_PAGES, (pfn + count) / NID_BLOCK_PAGES);
      pfn += count;
    });
  }
}

/** Host bytes per simulated page held by PageFrames. */
export const PAGE_STRUCT_BYTES = 2 + 2 + 2 + 1 + 4 + 4;

/** What the last_nid helpers need of the kernel. */
interface LastNidKernel {
  readonly features: Readonly<Features>;
  readonly pages: PageFrames;
}

/** page->_last_nid exists: step 37 (gate lastNid) in a CONFIG_NUMA_BALANCING build. */
const lastNidLive = (k: LastNidKernel): boolean => k.features.lastNid && k.features.CONFIG_NUMA_BALANCING;

/** include/linux/mm.h: page_last_nid: the field, or page_to_nid(page) when it does not exist. */
export function pageLastNid(k: LastNidKernel, pfn: number): number {
  return lastNidLive(k) ? k.pages.lastNid[pfn] : pageToNid(k.pages, pfn);
}

/** include/linux/mm.h: page_xchg_last_nid: store `nid`, return the old value (page_to_nid without the field). */
export function pageXchgLastNid(k: LastNidKernel, pfn: number, nid: number): number {
  if (!lastNidLive(k)) return pageToNid(k.pages, pfn);
  const old = k.pages.lastNid[pfn];
  k.pages.lastNid[pfn] = nid;
  return old;
}

/** include/linux/mm.h: reset_page_last_nid: -1 (a no-op without the field). */
export function resetPageLastNid(k: LastNidKernel, pfn: number): void {
  if (lastNidLive(k)) k.pages.lastNid[pfn] = LAST_NID_NONE;
}
