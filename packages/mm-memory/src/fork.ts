/** kernel/fork.c: mm_alloc and dup_mmap. */
import { NUMA_PTE_SCAN_INIT, PageTable, USER_BASE, type Kernel, type MemoryStats, type MmStruct, type Vma } from "@balancenuma/include-linux";
import { copyPageRange } from "./memory.js";
import { TASK_SIZE, lockBegin, lockEnd } from "./mmap.js";

/** kernel/fork.c: mm_alloc: an empty address space. `id` must be unique within the kernel. */
export function mmAlloc(k: Kernel, id: number, owner: number): MmStruct {
  return {
    id,
    pgtable: new PageTable(),
    vmas: [],
    mmUsers: 1,
    mmapNext: USER_BASE,
    anonRss: 0,
    pageTableLock: k.newLock(`mm ${id} page_table_lock`, "spinlock"),
    mmapSem: k.newLock(`mm ${id} mmap_sem`, "rwsem"),
    owner,
    pmdHugePte: [],
    numaNextScan: 0,
    numaNextReset: 0,
    numaScanOffset: 0,
    numaScanSeq: 0,
    // mm_alloc zero-fills: an exec'd mm starts with first_nid 0, as if its first node were node 0.
    firstNid: 0,
  };
}

/**
 * kernel/fork.c: dup_mm + dup_mmap: copy every vma (its policy duplicated, its anon_vma forked)
 * and share private anonymous pages copy-on-write; then flush the parent's TLB (its ptes were
 * write-protected). dup_mm copies the parent's mm_struct, so the NUMA scan fields start as the
 * parent's (the scheduler resets some at fork); from step 44 first_nid = NUMA_PTE_SCAN_INIT.
 */
export function dupMmap(k: Kernel, st: MemoryStats, old: MmStruct, id: number, owner: number): MmStruct {
  const mm = mmAlloc(k, id, owner);
  const t0 = lockBegin(k);
  mm.mmapNext = old.mmapNext;
  mm.numaNextScan = old.numaNextScan;
  mm.numaNextReset = old.numaNextReset;
  mm.numaScanOffset = old.numaScanOffset;
  mm.numaScanSeq = old.numaScanSeq;
  mm.firstNid = old.firstNid;
  // Step 44: dup_mm starts the child's delay-until-new-node logic afresh (mm_alloc does not).
  if (k.features.delayScanUntilNewNode && k.features.CONFIG_NUMA_BALANCING) mm.firstNid = NUMA_PTE_SCAN_INIT;
  for (const src of old.vmas) {
    const child: Vma = {
      mm,
      start: src.start,
      end: src.end,
      flags: src.flags,
      pgoff: src.pgoff,
      anonVma: null,
      policy: src.policy ? k.mempolicy.dupPolicy(src.policy) : null,
    };
    mm.vmas.push(child);
    if (src.anonVma) {
      k.rmap.anonVmaFork(k, child, src);
      copyPageRange(k, st, child, src);
    }
  }
  k.tlb.flushTlbRange(k, old, USER_BASE, TASK_SIZE);
  lockEnd(k, old.mmapSem, t0, false);
  return mm;
}
