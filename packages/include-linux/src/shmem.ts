/**
 * include/linux/shmem_fs.h and mempolicy.h's shared policy: the object behind shared anonymous
 * memory (MAP_SHARED|MAP_ANONYMOUS is shmem_zero_setup's unlinked "/dev/zero" file). Its pages sit
 * in the object's page cache by page offset and outlive any one mapping; they are swap-backed but
 * not anonymous (PG_swapbacked without PG_anon), and their page->mapping (`PageFrames.anonVma`) is
 * the object's id. The shared policy (mbind on any mapping of the object) governs where the
 * object's pages are allocated, for every process that maps it.
 *
 * A tmpfs file (open(2) under /dev/shm or /tmp) is the same object with a name: its page cache is
 * what MAP_SHARED maps in place and what MAP_PRIVATE maps read-only until the first write copies.
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
  /** How many vmas map it. */
  mappers: number;
  /** Its path: the tmpfs name, or "/dev/zero" for shmem_zero_setup's unlinked file. */
  readonly path: string;
  /** Whether the path still names it (unlink clears it). */
  linked: boolean;
  /** Open file descriptions (struct file) referring to it. */
  opens: number;
  /** i_size in bytes: a fault at or beyond it is SIGBUS. */
  size: number;
}

/** The object is released (its pages freed) once nothing names, maps or holds it open (iput). */
export const shmemInUse = (obj: ShmemObject): boolean => obj.mappers > 0 || obj.opens > 0 || obj.linked;

/** An open tmpfs file (struct file): the object and the open(2) access mode. */
export interface ShmemFile {
  readonly obj: ShmemObject;
  readonly readable: boolean;
  readonly writable: boolean;
}

/** Ids of shmem objects start here, far above anon_vma ids, so a page->mapping value names one kind. */
export const SHMEM_ID_BASE = 0x8000_0000;

/** A shmem page: swap-backed, not anonymous (the kernel's PageSwapBacked && !PageAnon). */
export const isShmemPage = (pages: PageFrames, pfn: number): boolean => (pages.flags[pfn] & (PG_anon | PG_swapbacked)) === PG_swapbacked;

/** vm_normal_page's answer for the model's user pages: an anonymous or a shmem page. */
export const isUserPage = (pages: PageFrames, pfn: number): boolean => (pages.flags[pfn] & PG_swapbacked) !== 0;
