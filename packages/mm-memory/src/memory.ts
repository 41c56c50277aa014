/**
 * mm/memory.c: the fault handlers (handle_mm_fault, do_anonymous_page, do_wp_page), page-table
 * allocation, zapping, copy_page_range for fork, follow_page and get_user_pages.
 *
 * Page tables are the mm's typed arrays (include-linux PageTable). A "ptep" below is an index into
 * pteFlags/ptePfn: slot * PTRS_PER_PTE + pte index.
 */
import {
  FAULT_FLAG_WRITE,
  FOLL_FORCE,
  FOLL_GET,
  FOLL_NUMA,
  FOLL_SPLIT,
  FOLL_WRITE,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  HPAGE_PMD_NR,
  PAGE_SIZE,
  PG_anon,
  PG_lru,
  PG_pgtable,
  PG_swapbacked,
  PMD_SIZE,
  PTRS_PER_PTE,
  USER_BASE,
  VM_FAULT_OOM,
  VM_FAULT_SIGBUS,
  VM_FAULT_SIGSEGV,
  VM_FAULT_FALLBACK,
  VM_FAULT_WRITE,
  VM_IO,
  VM_MAYREAD,
  VM_MAYWRITE,
  VM_PFNMAP,
  VM_READ,
  VM_SHARED,
  isShmemPage,
  VM_WRITE,
  EFAULT,
  ENOMEM,
  __GFP_REPEAT,
  __GFP_ZERO,
  ZERO_PFN,
  isZeroPfn,
  linearPage,
  type Kernel,
  type MemoryStats,
  type MmStruct,
  type Vma,
  pageMapcount,
  numaNodeId,
  putPage,
  pmdAddr,
  pmdIndex,
  pteIndex,
  SYS_FAULTS,
  SYS_HINTING_FAULTS,
  SYS_PAGE_CLEAR,
  pageToNid,
} from "@balancenuma/include-linux";
import {
  _PAGE_ACCESSED,
  _PAGE_TABLE,
  isMigrationEntry,
  pmdMkdirty,
  pmdMkold,
  pmdMkwrite,
  pmdMkyoung,
  pmdTransHuge,
  pmdTransSplitting,
  flushTlbFixSpuriousFault,
  pmdBad,
  pmdNuma,
  pmdWrite,
  pmdWrprotect,
  pmdpSetAccessFlags,
  pteNuma,
  ptePresent,
  pteMkdirty,
  pteMkold,
  pteMkwrite,
  pteMkyoung,
  pteMkspecial,
  pteSpecial,
  pteWrite,
  pteWrprotect,
  ptepSetAccessFlags,
  vmGetPageProt,
} from "@balancenuma/arch-x86-pgtable";
import { NR_PAGETABLE, countVmEvents, modNodeState, PGFAULT } from "@balancenuma/vmstat";
import { doNumaPage, doPmdNumaPage } from "./numa.js";
import { shmemFault } from "./shmem.js";
import { ptepClearFlush } from "./pgtable-generic.js";

/** PGALLOC_GFP (arch/x86/mm/pgtable.c): pte pages come zeroed. */
const PGALLOC_GFP = GFP_KERNEL | __GFP_REPEAT | __GFP_ZERO;
/** How long a fault that found a migration entry waits before retrying (migration_entry_wait), ns. */
const MIGRATION_WAIT_NS = 1000;

export function newMemoryStats(): MemoryStats {
  return {
    ptePageAllocs: 0,
    ptePagesUnused: 0,
    anonFaults: 0,
    zeroPageMaps: 0,
    zeroPageCopies: 0,
    shmemFaults: 0,
    shmemPagesAllocated: 0,
    wpReuses: 0,
    wpCopies: 0,
    migrationWaits: 0,
    bulkTouches: 0,
    bulkRuns: 0,
  };
}

/** mm/memory.c: __pte_alloc: give the pmd a pte page; frees the new page again if another populated it. */
export function __pteAlloc(k: Kernel, st: MemoryStats, mm: MmStruct, pmd: number): number {
  const frame = k.pageAlloc.allocPages(k, PGALLOC_GFP, 0, numaNodeId(k), null);
  st.ptePageAllocs++;
  if (frame < 0) return -ENOMEM;
  k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
  const pt = mm.pgtable;
  if (pt.pmdFlags[pmd] === 0) {
    const slot = pt.allocSlot(frame);
    pt.pmdFlags[pmd] = _PAGE_TABLE;
    pt.pmdVal[pmd] = slot;
    k.pages.flags[frame] |= PG_pgtable;
    modNodeState(k, pageToNid(k.pages, frame), NR_PAGETABLE, 1);
  } else {
    st.ptePagesUnused++;
    k.pageAlloc.freePages(k, frame, 0);
  }
  return 0;
}

/** mm/memory.c: free_pte_range for one pmd: give back its pte page (the entries must be none). */
export function freePteTable(k: Kernel, mm: MmStruct, pmd: number): void {
  const pt = mm.pgtable;
  if (pt.pmdFlags[pmd] === 0 || pmdTransHuge(pt.pmdFlags[pmd])) return;
  const frame = pt.freeSlot(pt.pmdVal[pmd]);
  pt.pmdFlags[pmd] = 0;
  pt.pmdVal[pmd] = -1;
  modNodeState(k, pageToNid(k.pages, frame), NR_PAGETABLE, -1);
  k.pageAlloc.freePages(k, frame, 0);
}

/** Charge `bytes` of memory traffic from the current CPU to node `memNode` (zeroing, copying), for profile path `path`. */
function chargeMemory(k: Kernel, memNode: number, bytes: number, path = k.sysPath): void {
  const bus = k.bus;
  const idx = numaNodeId(k) * bus.nodes + memNode;
  const ns = bytes * bus.nsPerByte[idx];
  bus.busyNs[idx] += ns;
  k.charge(ns, path);
}

/**
 * A new anonymous page is mapped: it goes on the LRU as swap-backed anon memory, and
 * page_add_new_anon_rmap (mm-rmap) sets its mapping, mapcount and NR_ANON_PAGES.
 */
function addNewAnonPage(k: Kernel, pfn: number, vma: Vma, addr: number): void {
  k.pages.flags[pfn] |= PG_anon | PG_swapbacked | PG_lru;
  k.rmap.pageAddAnonRmap(k, pfn, vma, addr, true);
}

/**
 * mm/memory.c: handle_mm_fault. THP first for a none pmd; a huge pmd is handled whole; otherwise
 * make sure a pte page exists and go to handle_pte_fault. Gate pteAllocOnlyIfPmdNone (step 01):
 * before it, __pte_alloc runs on every fault and usually frees the page it just allocated. Gate
 * numaHintingFaults (step 16): a numa huge pmd goes to do_huge_pmd_numa_page, a numa table pmd to
 * do_pmd_numa_page (both can exist only with CONFIG_NUMA_BALANCING: pmd_numa is 0 without it).
 *
 * For the system-time profile the fault is SYS_FAULTS, or SYS_HINTING_FAULTS once it reaches a NUMA
 * hinting handler; k.sysPath is left so (the caller, who put it back afterwards, can tell which).
 */
export function handleMmFault(k: Kernel, st: MemoryStats, mm: MmStruct, vma: Vma, addr: number, flags: number): number {
  k.sysPath = SYS_FAULTS;
  countVmEvents(k, PGFAULT);
  if (addr < vma.start || addr >= vma.end) return VM_FAULT_SIGSEGV;
  const f = k.features;
  const pt = mm.pgtable;
  const pmd = pmdIndex(addr);
  pt.ensurePmd(pmd);
  const orig = pt.pmdFlags[pmd];
  if (orig === 0 && k.hugeMemory.thpAllowed(k, vma, addr)) {
    const ret = k.hugeMemory.doHugePmdAnonymousPage(k, mm, vma, addr, pmd, flags);
    if (!(ret & VM_FAULT_FALLBACK)) return ret;
  } else if (pmdTransHuge(orig)) {
    // Re-read through the pointer, as the kernel does, not orig_pmd.
    if (f.numaHintingFaults && pmdNuma(k, pt.pmdFlags[pmd])) {
      k.sysPath = SYS_HINTING_FAULTS;
      return k.hugeMemory.doHugePmdNumaPage(k, mm, vma, addr, pmd);
    }
    // Step 16 also dropped the !pmd_trans_splitting term of the write-protect test.
    const splittingWaits = !f.numaHintingFaults && pmdTransSplitting(orig);
    if (flags & FAULT_FLAG_WRITE && !pmdWrite(orig) && !splittingWaits) {
      const ret = doHugePmdWpPage(k, vma, addr, pmd);
      if (ret !== VM_FAULT_FALLBACK) return ret;
    } else return 0;
  }
  if (f.numaHintingFaults && pmdNuma(k, pt.pmdFlags[pmd])) {
    k.sysPath = SYS_HINTING_FAULTS;
    return doPmdNumaPage(k, mm, vma, addr, pmd);
  }
  if (!f.pteAllocOnlyIfPmdNone || pt.pmdFlags[pmd] === 0) if (__pteAlloc(k, st, mm, pmd) < 0) return VM_FAULT_OOM;
  // A huge pmd materialised from under us: retry later.
  if (pmdTransHuge(pt.pmdFlags[pmd])) return 0;
  return handlePteFault(k, st, mm, vma, addr, pmd, flags);
}

/**
 * mm/huge_memory.c: do_huge_pmd_wp_page, modelled: a huge page mapped once is reused in place
 * (pmdp_set_access_flags); a shared one (after fork) is split and the write takes the 4K COW path,
 * which is what the kernel falls back to when it cannot allocate a new huge page.
 */
function doHugePmdWpPage(k: Kernel, vma: Vma, addr: number, pmd: number): number {
  const pt = vma.mm.pgtable;
  const head = pt.pmdVal[pmd];
  if (pageMapcount(k.pages, head) === 1) {
    let entry = pmdMkyoung(pt.pmdFlags[pmd]);
    entry = pmdMkdirty(entry);
    if (vma.flags & VM_WRITE) entry = pmdMkwrite(entry);
    pmdpSetAccessFlags(k, vma, addr, pmd, entry, true);
    return VM_FAULT_WRITE;
  }
  k.hugeMemory.splitHugePagePmd(k, vma, pmd);
  return VM_FAULT_FALLBACK;
}

/** mm/memory.c: handle_pte_fault. */
export function handlePteFault(k: Kernel, st: MemoryStats, mm: MmStruct, vma: Vma, addr: number, pmd: number, flags: number): number {
  const pt = mm.pgtable;
  const ptep = pt.pmdVal[pmd] * PTRS_PER_PTE + pteIndex(addr);
  const entry = pt.pteFlags[ptep];
  const write = (flags & FAULT_FLAG_WRITE) !== 0;
  if (!ptePresent(entry)) {
    if (entry === 0) {
      if (!vma.shm) return doAnonymousPage(k, st, vma, addr, ptep, write);
      const shared = (vma.flags & VM_SHARED) !== 0;
      const ret = shmemFault(k, st, vma, addr, ptep, write && shared, (node) => {
        chargeMemory(k, node, PAGE_SIZE, SYS_PAGE_CLEAR);
      });
      // __do_fault: a write to a private file mapping copies the cache page into an anonymous one.
      return ret || !write || shared ? ret : doWpPage(k, st, vma, addr, ptep);
    }
    if (isMigrationEntry(entry)) {
      // migration_entry_wait: sleep on the page lock until the migration ends, then retry.
      st.migrationWaits++;
      k.charge(MIGRATION_WAIT_NS);
      return 0;
    }
    return VM_FAULT_SIGBUS;
  }
  // Step 16: a pte_numa pte is "present" to generic code (x86 pte_present has the NUMA bit).
  if (k.features.numaHintingFaults && pteNuma(k, entry)) {
    k.sysPath = SYS_HINTING_FAULTS;
    return doNumaPage(k, mm, vma, addr, ptep, entry);
  }
  k.charge(k.cost.pteUpdateNs); // pte lock
  let e = entry;
  if (write) {
    if (!pteWrite(e)) return doWpPage(k, st, vma, addr, ptep);
    e = pteMkdirty(e);
  }
  e = pteMkyoung(e);
  // Nothing changed on a write: a stale TLB entry elsewhere (x86's fix-up is a no-op).
  if (!ptepSetAccessFlags(k, vma, addr, ptep, e, write) && write) flushTlbFixSpuriousFault(k, vma, addr);
  return 0;
}

/**
 * mm/memory.c: do_anonymous_page: first touch of an anonymous page. A read fault maps the shared
 * zero page read-only (a special pte: no page reference, rmap or rss); a write fault allocates a
 * zeroed page from the vma's policy.
 */
export function doAnonymousPage(k: Kernel, st: MemoryStats, vma: Vma, addr: number, ptep: number, write: boolean): number {
  const pt = vma.mm.pgtable;
  if (!write) {
    pt.pteFlags[ptep] = pteMkspecial(vmGetPageProt(vma.flags));
    pt.ptePfn[ptep] = ZERO_PFN;
    k.charge(k.cost.pteUpdateNs);
    st.zeroPageMaps++;
    return 0;
  }
  k.rmap.anonVmaPrepare(k, vma);
  const pfn = k.mempolicy.allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, addr);
  if (pfn < 0) return VM_FAULT_OOM;
  chargeMemory(k, pageToNid(k.pages, pfn), PAGE_SIZE, SYS_PAGE_CLEAR);
  let entry = vmGetPageProt(vma.flags);
  if (vma.flags & VM_WRITE) entry = pteMkwrite(pteMkdirty(entry));
  pt.pteFlags[ptep] = entry;
  pt.ptePfn[ptep] = pfn;
  k.charge(k.cost.pteUpdateNs);
  k.pages.index[pfn] = linearPage(addr);
  addNewAnonPage(k, pfn, vma, addr);
  vma.mm.anonRss++;
  st.anonFaults++;
  return 0;
}

/**
 * mm/memory.c: do_wp_page: a write to a read-only pte. An anonymous page mapped once is reused
 * (made writable in place through ptep_set_access_flags, whose flush the series changes);
 * otherwise (COW after fork) the page is copied to a new page from the vma's policy. The zero
 * page is not copied: the new page is zeroed, and it is the mm's first anonymous page there.
 */
export function doWpPage(k: Kernel, st: MemoryStats, vma: Vma, addr: number, ptep: number): number {
  const pt = vma.mm.pgtable;
  const orig = pt.pteFlags[ptep];
  const old = pt.ptePfn[ptep];
  const pages = k.pages;
  const zero = pteSpecial(orig) && isZeroPfn(old);
  // A shared mapping's page is written in place (no copy-on-write): its pte is made writable. A
  // private file mapping's cache page is always copied.
  const sharedFile = vma.shm !== undefined && (vma.flags & VM_SHARED) !== 0;
  if (sharedFile || (!zero && pages.flags[old] & PG_anon && pageMapcount(pages, old) <= 1)) {
    // page_move_anon_rmap: the page now belongs to this vma's own anon_vma.
    if (!sharedFile && vma.anonVma) pages.anonVma[old] = vma.anonVma.id;
    let entry = pteMkyoung(orig);
    entry = pteMkdirty(entry);
    if (vma.flags & VM_WRITE) entry = pteMkwrite(entry);
    ptepSetAccessFlags(k, vma, addr, ptep, entry, true);
    st.wpReuses++;
    return VM_FAULT_WRITE;
  }
  k.rmap.anonVmaPrepare(k, vma);
  const pfn = k.mempolicy.allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, addr);
  if (pfn < 0) return VM_FAULT_OOM;
  // cow_user_page: read the old page, write the new one (alloc_zeroed_user_highpage for the zero page).
  if (!zero) chargeMemory(k, pageToNid(pages, old), PAGE_SIZE);
  chargeMemory(k, pageToNid(pages, pfn), PAGE_SIZE, zero ? SYS_PAGE_CLEAR : k.sysPath);
  let entry = vmGetPageProt(vma.flags) | _PAGE_ACCESSED;
  entry = pteMkdirty(entry);
  if (vma.flags & VM_WRITE) entry = pteMkwrite(entry);
  ptepClearFlush(k, vma, addr, ptep);
  pt.pteFlags[ptep] = entry;
  pt.ptePfn[ptep] = pfn;
  pages.index[pfn] = linearPage(addr);
  addNewAnonPage(k, pfn, vma, addr);
  if (zero) {
    vma.mm.anonRss++;
    st.zeroPageCopies++;
    return VM_FAULT_WRITE;
  }
  // A file page replaced by an anonymous one: MM_FILEPAGES -> MM_ANONPAGES (file pages have no counter here).
  if (!(pages.flags[old] & PG_anon)) vma.mm.anonRss++;
  k.rmap.pageRemoveRmap(k, old);
  putPage(k, old);
  st.wpCopies++;
  return VM_FAULT_WRITE;
}

/**
 * mm/memory.c: unmap_page_range / zap_pte_range over [start, end) of vma: clear the entries,
 * drop the rmap and the page references. A huge pmd wholly inside the range is zapped whole,
 * one partly inside is split first. One TLB flush for the range at the end (tlb_finish_mmu).
 */
export function zapPageRange(k: Kernel, vma: Vma, start: number, end: number): void {
  const mm = vma.mm;
  const pt = mm.pgtable;
  if (start < vma.start) start = vma.start;
  if (end > vma.end) end = vma.end;
  if (start >= end) return;
  const first = pmdIndex(start);
  const last = Math.min(pmdIndex(end - 1), pt.pmdCount - 1);
  let cleared = 0;
  for (let pmd = first; pmd <= last; pmd++) {
    let f = pt.pmdFlags[pmd];
    if (f === 0) continue;
    const pStart = pmdAddr(pmd);
    const pEnd = pStart + PMD_SIZE;
    if (pmdTransHuge(f)) {
      if (start <= pStart && end >= pEnd) {
        k.hugeMemory.zapHugePmd(k, vma, pmd);
        cleared++;
        continue;
      }
      k.hugeMemory.splitHugePagePmd(k, vma, pmd);
      f = pt.pmdFlags[pmd];
      if (f === 0 || pmdTransHuge(f)) continue;
    }
    const base = pt.pmdVal[pmd] * PTRS_PER_PTE;
    const a0 = Math.max(start, pStart);
    const a1 = Math.min(end, pEnd);
    const i0 = pteIndex(a0);
    const i1 = i0 + Math.ceil((a1 - a0) / PAGE_SIZE);
    for (let i = i0; i < i1; i++) {
      const ptep = base + i;
      const e = pt.pteFlags[ptep];
      if (e === 0) continue;
      const pfn = pt.ptePfn[ptep];
      pt.pteFlags[ptep] = 0;
      pt.ptePfn[ptep] = -1;
      cleared++;
      // vm_normal_page: a special pte (the zero page) has no page to release.
      if (pteSpecial(e)) continue;
      if (ptePresent(e)) {
        if (k.pages.flags[pfn] & PG_anon) mm.anonRss--;
        k.rmap.pageRemoveRmap(k, pfn);
        putPage(k, pfn);
      } else if (isMigrationEntry(e) && k.pages.flags[pfn] & PG_anon) mm.anonRss--;
    }
  }
  k.charge(cleared * k.cost.pteUpdateNs);
  if (cleared) k.tlb.flushTlbRange(k, mm, start, end);
}

/**
 * mm/memory.c: free_pgtables for [start, end) after its vmas are gone: free every pte page whose
 * 2 MiB no longer overlaps any vma.
 */
export function freePgtables(k: Kernel, mm: MmStruct, start: number, end: number, findVma: (mm: MmStruct, addr: number) => Vma | null): void {
  const pt = mm.pgtable;
  const first = Math.max(0, pmdIndex(start));
  const last = Math.min(pmdIndex(end - 1), pt.pmdCount - 1);
  for (let pmd = first; pmd <= last; pmd++) {
    if (pt.pmdFlags[pmd] === 0 || pmdTransHuge(pt.pmdFlags[pmd])) continue;
    const v = findVma(mm, pmdAddr(pmd));
    if (v && v.start < pmdAddr(pmd) + PMD_SIZE) continue;
    freePteTable(k, mm, pmd);
  }
}

/**
 * mm/memory.c: copy_page_range for one private anonymous vma at fork: share every page
 * copy-on-write (both ptes write-protected, the child's made old, page_dup_rmap + get_page).
 * Huge pmds are shared the same way (copy_huge_pmd; the pte page the kernel deposits for a later
 * split is not modelled).
 */
export function copyPageRange(k: Kernel, st: MemoryStats, dst: Vma, src: Vma): number {
  const sp = src.mm.pgtable;
  const dp = dst.mm.pgtable;
  const cow = (src.flags & (VM_SHARED | VM_MAYWRITE)) === VM_MAYWRITE;
  const pages = k.pages;
  const first = pmdIndex(src.start);
  const last = Math.min(pmdIndex(src.end - 1), sp.pmdCount - 1);
  dp.ensurePmd(last);
  let copied = 0;
  for (let pmd = first; pmd <= last; pmd++) {
    const f = sp.pmdFlags[pmd];
    if (f === 0) continue;
    const pStart = pmdAddr(pmd);
    if (pmdTransHuge(f)) {
      const head = sp.pmdVal[pmd];
      const wp = cow ? pmdWrprotect(f) : f;
      sp.pmdFlags[pmd] = wp;
      dp.pmdFlags[pmd] = pmdMkold(wp);
      dp.pmdVal[pmd] = head;
      pages.refcount[head]++;
      k.rmap.pageAddAnonRmap(k, head, dst, Math.max(pStart, src.start), false);
      dst.mm.anonRss += HPAGE_PMD_NR;
      copied++;
      continue;
    }
    if (dp.pmdFlags[pmd] === 0 && __pteAlloc(k, st, dst.mm, pmd) < 0) return -ENOMEM;
    const sBase = sp.pmdVal[pmd] * PTRS_PER_PTE;
    const a0 = Math.max(src.start, pStart);
    const a1 = Math.min(src.end, pStart + PMD_SIZE);
    const i0 = pteIndex(a0);
    const i1 = i0 + Math.ceil((a1 - a0) / PAGE_SIZE);
    // Re-read: __pte_alloc may have grown the pool arrays.
    const dBase = dp.pmdVal[pmd] * PTRS_PER_PTE;
    for (let i = i0; i < i1; i++) {
      let e = sp.pteFlags[sBase + i];
      if (e === 0) continue;
      const pfn = sp.ptePfn[sBase + i];
      if (cow) {
        e = pteWrprotect(e);
        sp.pteFlags[sBase + i] = e;
      }
      dp.pteFlags[dBase + i] = ptePresent(e) ? pteMkold(e) : e;
      dp.ptePfn[dBase + i] = pfn;
      copied++;
      // copy_one_pte: vm_normal_page finds no page behind a special pte (the zero page).
      if (!ptePresent(e) || pteSpecial(e)) continue;
      pages.refcount[pfn]++;
      // page_dup_rmap: a private file mapping's ptes may still map page cache pages.
      if (isShmemPage(pages, pfn)) {
        k.rmap.pageAddFileRmap(k, pfn);
        continue;
      }
      k.rmap.pageAddAnonRmap(k, pfn, dst, USER_BASE + (pmd * PTRS_PER_PTE + i) * PAGE_SIZE, false);
      dst.mm.anonRss++;
    }
  }
  k.charge(copied * k.cost.pteUpdateNs);
  return 0;
}

/**
 * mm/memory.c: follow_page: the pfn mapped at addr, or -1 when nothing is mapped there (no page
 * table, none pte), or -2 when something is there that these flags cannot take (a write to a
 * read-only entry, a migration entry): the caller must fault. FOLL_GET takes a reference. With
 * FOLL_NUMA (step 14) a numa pmd counts as no page table and a numa pte as no page (-1), so gup
 * takes the hinting fault; other callers still follow such entries (they are "present").
 */
export function followPage(k: Kernel, vma: Vma, addr: number, foll: number): number {
  const pt = vma.mm.pgtable;
  const pmd = pmdIndex(addr);
  if (pmd < 0 || pmd >= pt.pmdCount) return -1;
  let f = pt.pmdFlags[pmd];
  if (f === 0) return -1;
  k.charge(k.cost.pteUpdateNs);
  if (foll & FOLL_NUMA && pmdNuma(k, f)) return -1;
  if (pmdTransHuge(f)) {
    if (foll & FOLL_SPLIT) {
      k.hugeMemory.splitHugePagePmd(k, vma, pmd);
      f = pt.pmdFlags[pmd];
      if (f === 0) return -1;
    } else {
      if (foll & FOLL_WRITE && !pmdWrite(f)) return -2;
      const pfn = pt.pmdVal[pmd] + pteIndex(addr);
      if (foll & FOLL_GET) k.pages.refcount[pfn]++;
      return pfn;
    }
  }
  if (pmdTransHuge(f)) return -2;
  if (pmdBad(k, f)) return -1;
  const ptep = pt.pmdVal[pmd] * PTRS_PER_PTE + pteIndex(addr);
  const e = pt.pteFlags[ptep];
  if (e === 0) return -1;
  if (!ptePresent(e)) return -2;
  if (foll & FOLL_NUMA && pteNuma(k, e)) return -1;
  if (foll & FOLL_WRITE && !pteWrite(e)) return -2;
  const pfn = pt.ptePfn[ptep];
  if (foll & FOLL_GET) k.pages.refcount[pfn]++;
  return pfn;
}

/**
 * mm/memory.c: __get_user_pages for one address: follow_page, faulting in as needed. The caller
 * holds mmap_sem (as in the kernel). Returns the pfn or -errno.
 */
export function getUserPage(k: Kernel, st: MemoryStats, mm: MmStruct, addr: number, foll: number, vma: Vma | null): number {
  if (!vma || addr < vma.start) return -EFAULT;
  const force = (foll & FOLL_FORCE) !== 0;
  const need = foll & FOLL_WRITE ? (force ? VM_MAYWRITE : VM_WRITE) : force ? VM_MAYREAD : VM_READ;
  if (vma.flags & (VM_IO | VM_PFNMAP) || !(vma.flags & need)) return -EFAULT;
  // Step 14: gup takes NUMA hinting faults, except FOLL_FORCE: on a PROT_NONE vma the "hint"
  // would be the PROT_NONE pte itself (the bits alias) and the fault would unprotect it.
  if (k.features.follNuma && !force) foll |= FOLL_NUMA;
  for (let tries = 0; tries < 8; tries++) {
    const pfn = followPage(k, vma, addr, foll);
    if (pfn >= 0) return pfn;
    const outer = k.sysPath;
    const ret = handleMmFault(k, st, mm, vma, addr, foll & FOLL_WRITE ? FAULT_FLAG_WRITE : 0);
    k.sysPath = outer;
    if (ret & VM_FAULT_OOM) return -ENOMEM;
    if (ret & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)) return -EFAULT;
    // A forced write that broke COW on a read-only vma: the copy is ours, read it.
    if (ret & VM_FAULT_WRITE && !(vma.flags & VM_WRITE)) foll &= ~FOLL_WRITE;
  }
  throw new Error(`get_user_pages: fault at 0x${addr.toString(16)} does not resolve`);
}
