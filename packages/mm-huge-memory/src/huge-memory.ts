/**
 * mm/huge_memory.c (Linux 3.7-rc6): transparent huge page faults, split_huge_page, change_huge_pmd
 * and zap_huge_pmd. A THP is an order-9 compound page (PG_head on the first page, PG_tail on the
 * others) mapped by one huge pmd per mm; its mapcount lives on the head page.
 *
 * The pte page a split needs is allocated at fault time and deposited with the mm
 * (pgtable_trans_huge_deposit), so splitting never allocates; the deposit is a per-mm LIFO of
 * frames, as the kernel's mm->pmd_huge_pte list.
 */
import {
  EBUSY,
  GFP_KERNEL,
  GFP_TRANSHUGE,
  HPAGE_PMD_NR,
  HPAGE_PMD_ORDER,
  HPAGE_SIZE,
  PG_active,
  PG_anon,
  PG_head,
  PG_lru,
  PG_pgtable,
  PG_swapbacked,
  PG_tail,
  PTRS_PER_PTE,
  VM_FAULT_FALLBACK,
  VM_FAULT_OOM,
  VM_HUGEPAGE,
  VM_NOHUGEPAGE,
  VM_SHARED,
  VM_WRITE,
  __GFP_REPEAT,
  __GFP_ZERO,
  pageLastNid,
  pageMapcount,
  pageXchgLastNid,
  pmdIndex,
  type HugeMemoryOps,
  type Kernel,
  type MmStruct,
  type Vma,
  numaNodeId,
  taskNumaFault,
  putPage,
  hpageAlignDown,
  pmdAddr,
  compoundHead,
  lockPage,
  unlockPage,
  SYS_PAGE_CLEAR,
  pageToNid,
} from "@balancenuma/include-linux";
import {
  _PAGE_ACCESSED,
  _PAGE_DIRTY,
  _PAGE_PSE,
  _PAGE_RW,
  _PAGE_TABLE,
  pmdMknonnuma,
  pmdMknuma,
  pmdModify,
  pmdNuma,
  pteMknuma,
  vmGetPageProt,
} from "@balancenuma/arch-x86-pgtable";
import {
  NR_ANON_PAGES,
  NR_ANON_TRANSPARENT_HUGEPAGES,
  NR_PAGETABLE,
  NUMA_HINT_FAULTS,
  NUMA_HINT_FAULTS_LOCAL,
  THP_FAULT_ALLOC,
  THP_FAULT_FALLBACK,
  THP_SPLIT,
  countVmEvents,
  modNodeState,
  countVmNumaEvents,
} from "@balancenuma/vmstat";

/** pte_alloc_one's gfp (PGALLOC_GFP: zeroed, may retry). */
const PGALLOC_GFP = GFP_KERNEL | __GFP_REPEAT | __GFP_ZERO;

/** mk_huge_pmd: the vma's protection, dirty, writable if the vma is, huge. */
export function mkHugePmd(vma: Vma): number {
  let pmd = vmGetPageProt(vma.flags) | _PAGE_DIRTY;
  if (vma.flags & VM_WRITE) pmd |= _PAGE_RW; // maybe_pmd_mkwrite
  return pmd | _PAGE_PSE;
}

/** pgtable_trans_huge_deposit: keep a pte page with the mm for a later split of this THP. */
function pgtableTransHugeDeposit(mm: MmStruct, frame: number): void {
  mm.pmdHugePte.push(frame);
}

/** pgtable_trans_huge_withdraw: a deposited pte page, or -1 if the mm has none. */
function pgtableTransHugeWithdraw(mm: MmStruct): number {
  return mm.pmdHugePte.pop() ?? -1;
}

/** pte_alloc_one for a THP: a zeroed page-table page on the current CPU's node. */
function pteAllocOne(k: Kernel): number {
  const frame = k.pageAlloc.allocPages(k, PGALLOC_GFP, 0, k.cpus[k.currentCpu].node, null);
  if (frame >= 0) {
    k.pages.flags[frame] |= PG_pgtable;
    modNodeState(k, pageToNid(k.pages, frame), NR_PAGETABLE, 1);
  }
  return frame;
}

/** pte_free. */
function pteFree(k: Kernel, frame: number): void {
  k.pages.flags[frame] &= ~PG_pgtable;
  modNodeState(k, pageToNid(k.pages, frame), NR_PAGETABLE, -1);
  k.pageAlloc.freePages(k, frame, 0);
}

/** clear_huge_page: the faulting CPU writes 2 MiB of zeroes to the page's node. */
function clearHugePage(k: Kernel, head: number): void {
  const bus = k.bus;
  const idx = k.cpus[k.currentCpu].node * bus.nodes + pageToNid(k.pages, head);
  const ns = HPAGE_SIZE * bus.nsPerByte[idx];
  bus.busyNs[idx] += ns;
  k.charge(ns, SYS_PAGE_CLEAR);
}

/**
 * include/linux/huge_mm.h: transparent_hugepage_enabled + the vma range check of
 * do_huge_pmd_anonymous_page. Only anonymous memory: a file vma (vm_ops set) never gets a THP.
 */
export function thpAllowed(k: Kernel, vma: Vma, addr: number): boolean {
  const f = vma.flags;
  if (f & (VM_NOHUGEPAGE | VM_SHARED) || vma.shm) return false;
  if (k.hugeMemory.enabled === "never" || (k.hugeMemory.enabled === "madvise" && !(f & VM_HUGEPAGE))) return false;
  const haddr = hpageAlignDown(addr);
  return haddr >= vma.start && haddr + HPAGE_SIZE <= vma.end;
}

/** mm/huge_memory.c: do_huge_pmd_anonymous_page (with __do_huge_pmd_anonymous_page) */
export function doHugePmdAnonymousPage(k: Kernel, mm: MmStruct, vma: Vma, addr: number, pmdIdx: number, _flags: number): number {
  const haddr = hpageAlignDown(addr);
  if (haddr < vma.start || haddr + HPAGE_SIZE > vma.end) return VM_FAULT_FALLBACK;
  k.rmap.anonVmaPrepare(k, vma);
  const head = k.mempolicy.allocPagesVma(k, GFP_TRANSHUGE, HPAGE_PMD_ORDER, vma, haddr);
  if (head < 0) {
    countVmEvents(k, THP_FAULT_FALLBACK);
    return VM_FAULT_FALLBACK;
  }
  countVmEvents(k, THP_FAULT_ALLOC);
  const pgtable = pteAllocOne(k);
  if (pgtable < 0) {
    putPage(k, head);
    return VM_FAULT_OOM;
  }
  clearHugePage(k, head);
  const pt = mm.pgtable;
  pt.ensurePmd(pmdIdx);
  k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
  if (pt.pmdFlags[pmdIdx] !== 0) {
    // Another thread populated the pmd first.
    putPage(k, head);
    pteFree(k, pgtable);
    return 0;
  }
  const p = k.pages;
  // The allocator made it compound (__GFP_COMP); make sure page_add_new_anon_rmap sees a THP.
  p.flags[head] |= PG_head;
  k.rmap.pageAddAnonRmap(k, head, vma, haddr, true);
  pt.pmdFlags[pmdIdx] = mkHugePmd(vma);
  pt.pmdVal[pmdIdx] = head;
  pgtableTransHugeDeposit(mm, pgtable);
  mm.anonRss += HPAGE_PMD_NR;
  return 0;
}

/**
 * __split_huge_page_splitting + __split_huge_page_map for one mm: the huge pmd becomes a pte page
 * of 512 ptes with the pmd's write and young state (and the vma's protection, dirty).
 */
function splitHugePageMap(k: Kernel, vma: Vma, pmdIdx: number, head: number): void {
  const mm = vma.mm;
  const pt = mm.pgtable;
  const pmd = pt.pmdFlags[pmdIdx];
  const haddr = pmdAddr(pmdIdx);
  k.tlb.flushTlbRange(k, mm, haddr, haddr + HPAGE_SIZE); // pmdp_splitting_flush
  let frame = pgtableTransHugeWithdraw(mm);
  if (frame < 0) {
    // Nothing deposited for this mm (e.g. a huge pmd copied at fork): take a page now.
    frame = pteAllocOne(k);
    if (frame < 0) frame = k.pageAlloc.allocPages(k, PGALLOC_GFP, 0, -1, null);
    if (frame < 0) throw new Error(`split_huge_page: no page for a pte table (mm ${mm.id})`);
  }
  const slot = pt.allocSlot(frame);
  let pte = vmGetPageProt(vma.flags) | _PAGE_DIRTY;
  if (vma.flags & VM_WRITE) pte |= _PAGE_RW;
  if (!(pmd & _PAGE_RW)) pte &= ~_PAGE_RW;
  if (!(pmd & _PAGE_ACCESSED)) pte &= ~_PAGE_ACCESSED;
  // Step 15: a numa huge pmd splits into 512 numa ptes, so each 4K page takes its own hinting fault.
  if (k.features.splitHugePageKeepsNuma && pmdNuma(k, pmd)) pte = pteMknuma(k, pte);
  const base = slot * PTRS_PER_PTE;
  pt.pteFlags.fill(pte, base, base + PTRS_PER_PTE);
  for (let i = 0; i < PTRS_PER_PTE; i++) pt.ptePfn[base + i] = head + i;
  k.charge(k.cost.pteUpdateNs * PTRS_PER_PTE);
  // pmd made not-present and flushed before the pte page goes in, then pmd_populate.
  k.tlb.flushTlbRange(k, mm, haddr, haddr + HPAGE_SIZE);
  pt.pmdFlags[pmdIdx] = _PAGE_TABLE;
  pt.pmdVal[pmdIdx] = slot;
}

/** __split_huge_page_refcount: every subpage becomes an ordinary anonymous page. */
function splitHugePageRefcount(k: Kernel, head: number): void {
  const p = k.pages;
  const mc = p._mapcount[head];
  const keep = p.flags[head] & (PG_anon | PG_swapbacked | PG_lru | PG_active);
  const av = p.anonVma[head];
  const index = p.index[head];
  for (let i = 1; i < HPAGE_PMD_NR; i++) {
    const t = head + i;
    p.flags[t] = (p.flags[t] & ~(PG_tail | PG_head)) | keep | PG_lru;
    p._mapcount[t] = mc;
    p.refcount[t] = mc + 1;
    p.anonVma[t] = av;
    p.index[t] = index + i;
    // Step 38: the tails inherit the head's last_nid (before it, a tail keeps whatever it had).
    if (k.features.splitHugePageLastNid) pageXchgLastNid(k, t, pageLastNid(k, head));
  }
  p.flags[head] &= ~PG_head;
  if (mc >= 0 && keep & PG_anon) {
    const nid = pageToNid(p, head);
    modNodeState(k, nid, NR_ANON_TRANSPARENT_HUGEPAGES, -1);
    modNodeState(k, nid, NR_ANON_PAGES, HPAGE_PMD_NR);
  }
}

/**
 * mm/huge_memory.c: split_huge_page. Under the anon_vma lock (taken by the rmap walk, so in the
 * walkers' mode: a reader from step 49), split the pmd in every mm mapping the THP, then the
 * compound page itself.
 */
export function splitHugePage(k: Kernel, pfn: number): number {
  const p = k.pages;
  const head = compoundHead(k, pfn);
  if (!(p.flags[head] & PG_head)) return 0;
  if (p.anonVma[head] === 0) return -EBUSY;
  let mapped = 0;
  k.rmap.rmapWalk(k, head, (vma, addr) => {
    const pi = pmdIndex(addr);
    const pt = vma.mm.pgtable;
    if (!(pt.pmdFlags[pi] & _PAGE_PSE) || pt.pmdVal[pi] !== head) return;
    splitHugePageMap(k, vma, pi, head);
    mapped++;
  });
  if (mapped !== pageMapcount(p, head))
    throw new Error(`split_huge_page: pfn ${head} has mapcount ${pageMapcount(p, head)} but ${mapped} huge pmds were found`);
  splitHugePageRefcount(k, head);
  countVmEvents(k, THP_SPLIT);
  return 0;
}

/** mm/huge_memory.c: split_huge_page_pmd */
export function splitHugePagePmd(k: Kernel, vma: Vma, pmdIdx: number): void {
  const pt = vma.mm.pgtable;
  if (pmdIdx >= pt.pmdCount || !(pt.pmdFlags[pmdIdx] & _PAGE_PSE)) return;
  splitHugePage(k, pt.pmdVal[pmdIdx]);
}

/**
 * mm/huge_memory.c: change_huge_pmd: mprotect of a whole huge pmd; `newFlags` is the new pgprot
 * (vm_get_page_prot of the new vm flags). The caller flushes the range. prot_numa (step 24, gate
 * changeProtNuma "change-protection"): the kernel means to mark the pmd numa when its page is
 * mapped once and not already numa, but reads the page and the numa bit through the pmd pointer
 * after pmdp_get_and_clear cleared it. A cleared pmd names pfn 0, whose struct page lies outside
 * every zone and was never initialised (mm-page-alloc): its zeroed _mapcount makes
 * page_mapcount() 1, and pmd_numa(0) is false, so every huge pmd is marked, shared or not, and
 * counts as handled (the caller adds HPAGE_PMD_NR). The same in 3.8.
 */
export function changeHugePmd(k: Kernel, vma: Vma, pmdIdx: number, newFlags: number, protNuma: boolean): number {
  const mm = vma.mm;
  const pt = mm.pgtable;
  if (pmdIdx >= pt.pmdCount || !(pt.pmdFlags[pmdIdx] & _PAGE_PSE)) return 0;
  k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
  const entry = pt.pmdFlags[pmdIdx];
  if (!protNuma || k.features.changeProtNuma !== "change-protection") {
    pt.pmdFlags[pmdIdx] = pmdModify(entry, newFlags);
    return 1;
  }
  const head = pt.pmdVal[pmdIdx];
  // pmdp_get_and_clear: the whole entry reads 0 now, i.e. pfn 0 with no flags.
  pt.pmdFlags[pmdIdx] = 0;
  pt.pmdVal[pmdIdx] = 0;
  // page_mapcount(pmd_page(*pmd)) == 1 && !pmd_numa(*pmd), read through the cleared pointer.
  const mark = pageMapcount(k.pages, pt.pmdVal[pmdIdx]) === 1 && !pmdNuma(k, pt.pmdFlags[pmdIdx]);
  // set_pmd_at
  pt.pmdFlags[pmdIdx] = mark ? pmdMknuma(k, entry) : entry;
  pt.pmdVal[pmdIdx] = head;
  return 1;
}

/**
 * mm/huge_memory.c: do_huge_pmd_numa_page (step 16 on): a hinting fault on a numa huge pmd.
 * - 16: clear the hint;
 * - 22 (numaFaultMigrates): ask mpol_misplaced with the lock dropped; not misplaced: clear the
 *   hint; misplaced: split_huge_page and leave the hint: the 512 ptes keep it (step 15) and each
 *   4K page then faults and migrates on its own;
 * - 26: the not-misplaced exit calls task_numa_fault(numa_node_id(), HPAGE_PMD_NR);
 * - 30: one numa_hint_faults (+ local) per huge fault;
 * - 41: the not-misplaced exit passes migrated = false;
 * - 45 (thpMigrate): lock_page, migrate_misplaced_transhuge_page; the fault is accounted to the
 *   page's node (or the target when it migrated).
 * Returns 0.
 */
export function doHugePmdNumaPage(k: Kernel, mm: MmStruct, vma: Vma, addr: number, pmdIdx: number): number {
  const f = k.features;
  const pt = mm.pgtable;
  const haddr = hpageAlignDown(addr);
  k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
  const pmd = pt.pmdFlags[pmdIdx];
  const head = pt.pmdVal[pmdIdx];
  const pmdSame = (): boolean => pt.pmdFlags[pmdIdx] === pmd && pt.pmdVal[pmdIdx] === head;
  if (!f.numaFaultMigrates) {
    pt.pmdFlags[pmdIdx] = pmdMknonnuma(k, pmd);
    return 0;
  }
  const p = k.pages;
  p.refcount[head]++; // get_page
  let currentNid = pageToNid(p, head);
  countVmNumaEvents(k, NUMA_HINT_FAULTS);
  if (currentNid === numaNodeId(k)) countVmNumaEvents(k, NUMA_HINT_FAULTS_LOCAL);

  if (!f.thpMigrate) {
    // Steps 22-44: the lock is dropped around mpol_misplaced.
    const target = k.mempolicy.mpolMisplaced(k, head, vma, haddr);
    if (target === -1) {
      k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
      if (pmdSame()) pt.pmdFlags[pmdIdx] = pmdMknonnuma(k, pmd);
      putPage(k, head);
      taskNumaFault(k, numaNodeId(k), HPAGE_PMD_NR, false);
      return 0;
    }
    // No THP migration yet: split and let the 4K hinting faults migrate the pages.
    splitHugePage(k, head);
    putPage(k, head);
    return 0;
  }

  // Step 45.
  let migrated = false;
  const target = k.mempolicy.mpolMisplaced(k, head, vma, haddr);
  let locked = false;
  if (target !== -1) {
    // Drop the spinlock; the page lock serialises migrations of this THP.
    lockPage(k, head);
    locked = true;
    k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
    if (!pmdSame()) {
      unlockPage(k, head);
      putPage(k, head);
      taskNumaFault(k, currentNid, HPAGE_PMD_NR, false);
      return 0;
    }
    // migrate_misplaced_transhuge_page consumes our reference in every case.
    migrated = k.migrate.migrateMisplacedTranshugePage(k, mm, vma, pmdIdx, addr, head, target) === 1;
    if (migrated) {
      // It unlocked the old page (the model clears the bit in case it was left set).
      unlockPage(k, head);
      currentNid = target;
      taskNumaFault(k, currentNid, HPAGE_PMD_NR, true);
      return 0;
    }
    k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
    if (!pmdSame()) {
      unlockPage(k, head);
      taskNumaFault(k, currentNid, HPAGE_PMD_NR, migrated);
      return 0;
    }
  } else putPage(k, head);
  // clear_pmdnuma
  pt.pmdFlags[pmdIdx] = pmdMknonnuma(k, pmd);
  if (locked) unlockPage(k, head);
  taskNumaFault(k, currentNid, HPAGE_PMD_NR, migrated);
  return 0;
}

/** mm/huge_memory.c: zap_huge_pmd: unmap a whole THP from this mm; the page is freed with its last user. */
export function zapHugePmd(k: Kernel, vma: Vma, pmdIdx: number): void {
  const mm = vma.mm;
  const pt = mm.pgtable;
  if (pmdIdx >= pt.pmdCount || !(pt.pmdFlags[pmdIdx] & _PAGE_PSE)) return;
  k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
  const head = pt.pmdVal[pmdIdx];
  pt.pmdFlags[pmdIdx] = 0;
  pt.pmdVal[pmdIdx] = -1;
  const frame = pgtableTransHugeWithdraw(mm);
  if (frame >= 0) pteFree(k, frame);
  k.rmap.pageRemoveRmap(k, head);
  mm.anonRss -= HPAGE_PMD_NR;
  putPage(k, head);
}

/** mm/huge_memory.c: the THP operations of one kernel instance (`enabled` is its sysfs knob). */
export function createHugeMemoryOps(): HugeMemoryOps {
  return {
    enabled: "always",
    thpAllowed,
    doHugePmdAnonymousPage,
    splitHugePage,
    splitHugePagePmd,
    changeHugePmd,
    doHugePmdNumaPage,
    zapHugePmd,
  };
}
