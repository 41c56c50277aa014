/**
 * include/linux/shmem_fs.h and mempolicy.h's shared policy: the object behind shared anonymous
 * memory (MAP_SHARED|MAP_ANONYMOUS is shmem_zero_setup's unlinked "/dev/zero" file). Its pages sit
 * in the object's page cache by page offset and outlive any one mapping; they are swap-backed but
 * not anonymous (PG_swapbacked without PG_anon), and their page->mapping (`PageFrames.anonVma`) is
 * the object's id. The shared policy (mbind on any mapping of the object) governs where the
 * object's pages are allocated, for every process that maps it.
 */
import type { Mempolicy } from "./mempolicy.js";
import type { MmStruct } from "./mm.js";
import { PG_anon, PG_swapbacked, type PageFrames } from "./page.js";

/** One range of a shared policy tree (struct sp_node): pages [start, end) of the object. */
export interface SharedPolicyRange {
  start: number;
  end: number;
  policy: Mempolicy;
}

/** struct shmem_inode_info, the parts the model needs. */
export interface ShmemObject {
  /** Its page->mapping value: never 0, never an anon_vma id. */
  readonly id: number;
  /** The page cache: page offset -> pfn (each page holds one reference for it). */
  readonly pages: Map<number, number>;
  /** The shared policy tree, sorted by start, non-overlapping. */
  policy: SharedPolicyRange[];
  /** i_mmap, as mm-rmap's anon_vma list does it: the mms that map or mapped the object. */
  readonly mms: Set<MmStruct>;
  /** How many vmas map it; its pages are freed when the last one goes. */
  mappers: number;
}

/** Ids of shmem objects start here, far above anon_vma ids, so a page->mapping value names one kind. */
export const SHMEM_ID_BASE = 0x8000_0000;

/** A shmem page: swap-backed, not anonymous (the kernel's PageSwapBacked && !PageAnon). */
export const isShmemPage = (pages: PageFrames, pfn: number): boolean => (pages.flags[pfn] & (PG_anon | PG_swapbacked)) === PG_swapbacked;

/** vm_normal_page's answer for the model's user pages: an anonymous or a shmem page. */
export const isUserPage = (pages: PageFrames, pfn: number): boolean => (pages.flags[pfn] & PG_swapbacked) !== 0;
