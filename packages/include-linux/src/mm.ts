import type { Mempolicy } from "./mempolicy.js";
import { PageTable } from "./pgtable.js";
import type { SimLock } from "./lock.js";
import type { Kernel } from "./kernel.js";
import { PG_head, PG_tail } from "./page.js";
import { HPAGE_PMD_NR, HPAGE_PMD_ORDER } from "./constants.js";

/** struct anon_vma: the rmap anchor of anonymous pages; its root's lock guards the chain. */
export interface AnonVma {
  readonly id: number;
  root: AnonVma;
  /** VMAs whose pages may be found through this anon_vma (the anon_vma_chain, flattened). */
  vmas: Vma[];
  /** The root's lock: a mutex before "Convert the struct anon_vma::mutex to an rwsem", an rwsem after. */
  readonly lock: SimLock;
  refcount: number;
}

/** struct vm_area_struct (anonymous and private mappings only). */
export interface Vma {
  readonly mm: MmStruct;
  start: number;
  end: number;
  /** VM_* flags. */
  flags: number;
  /** Page offset of vm_start (for anon: linear page of vm_start). */
  pgoff: number;
  anonVma: AnonVma | null;
  /** vma->vm_policy (NULL = use the task policy). */
  policy: Mempolicy | null;
}

/** struct mm_struct. */
export interface MmStruct {
  readonly id: number;
  readonly pgtable: PageTable;
  /** VMAs sorted by start, non-overlapping. */
  vmas: Vma[];
  /** mm_users: threads sharing this mm. */
  mmUsers: number;
  /** Next address mmap hands out (bottom-up from USER_BASE). */
  mmapNext: number;
  /** MM_ANONPAGES rss counter, in pages. */
  anonRss: number;
  /** mm->page_table_lock. */
  readonly pageTableLock: SimLock;
  /** mm->mmap_sem. */
  readonly mmapSem: SimLock;
  /** Thread-group id of the owner process. */
  owner: number;
  /** mm->pmd_huge_pte: pte pages deposited by THP faults for a later split (pgtable_trans_huge_deposit), LIFO. */
  readonly pmdHugePte: number[];
  // Automatic NUMA balancing state (include/linux/mm_types.h), unused until the series adds it.
  numaNextScan: number;
  numaNextReset: number;
  numaScanOffset: number;
  numaScanSeq: number;
  firstNid: number;
}

/** include/linux/mm.h: put_page: drop a reference; the last one frees the page (a THP head as one order-9 block). */
export function putPage(k: Kernel, pfn: number): void {
  const rc = k.pages.refcount;
  if (rc[pfn] === 0) throw new Error(`put_page: pfn ${pfn} has no references`);
  if (--rc[pfn] === 0) k.pageAlloc.freePages(k, pfn, k.pages.flags[pfn] & PG_head ? HPAGE_PMD_ORDER : 0);
}

/** include/linux/mm.h: compound_head: the head page of the THP containing `pfn` (order-9 blocks are 512-aligned). */
export function compoundHead(k: Kernel, pfn: number): number {
  return k.pages.flags[pfn] & PG_tail ? pfn - (pfn % HPAGE_PMD_NR) : pfn;
}
