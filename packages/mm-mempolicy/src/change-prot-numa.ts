/**
 * mm/mempolicy.c: change_prot_numa (step 23 on): mark a range for NUMA hinting faults. Step 23 has
 * its own page-table walker (change_prot_numa_range); step 24 reimplements it as
 * change_protection(..., prot_numa) in mm/mprotect.c.
 */
import {
  isUserPage,
  HPAGE_PMD_NR,
  PAGE_SIZE,
  PMD_SIZE,
  PTRS_PER_PTE,
  pmdIndex,
  pteIndex,
  type Kernel,
  type Vma,
  pageMapcount,
} from "@balancenuma/include-linux";
import { pmdMknuma, pmdNuma, pmdTransHuge, pteMknuma, pteNuma, ptePresent, pteSpecial } from "@balancenuma/arch-x86-pgtable";
import { countVmNumaEvents, NUMA_PTE_UPDATES } from "@balancenuma/vmstat";

/**
 * mm/mempolicy.c: change_prot_numa_range (step 23 only): one pmd of the range. A huge pmd is marked
 * pmd_numa unless it already is or its page is mapped more than once (read in place, not cleared
 * first). A table pmd: every present pte that is not pte_numa yet and maps a normal page mapped once
 * becomes pte_numa; if at least one did, the pmd itself is marked numa too, whatever nodes the
 * pages are on. Returns the entries it marked (HPAGE_PMD_NR for a huge pmd).
 */
function changeProtNumaRange(k: Kernel, vma: Vma, addr: number, end: number): number {
  const mm = vma.mm;
  const pt = mm.pgtable;
  const idx = pmdIndex(addr);
  if (idx >= pt.pmdCount || pt.pmdFlags[idx] === 0) return 0;
  if (pmdTransHuge(pt.pmdFlags[idx])) {
    k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
    if (pmdNuma(k, pt.pmdFlags[idx]) || pageMapcount(k.pages, pt.pmdVal[idx]) !== 1) return 0;
    pt.pmdFlags[idx] = pmdMknuma(k, pt.pmdFlags[idx]);
    return HPAGE_PMD_NR; // TLB flush deferred to the end of the range
  }
  const base = pt.pmdVal[idx] * PTRS_PER_PTE;
  let marked = 0;
  for (let i = base + pteIndex(addr), n = (end - addr) / PAGE_SIZE; n > 0; i++, n--) {
    const pte = pt.pteFlags[i];
    if (!ptePresent(pte) || pteNuma(k, pte)) continue;
    const pfn = pt.ptePfn[i];
    // vm_normal_page, then only non-shared pages.
    if (pteSpecial(pte) || pfn < 0 || !isUserPage(k.pages, pfn) || pageMapcount(k.pages, pfn) !== 1) continue;
    pt.pteFlags[i] = pteMknuma(k, pte);
    k.charge(k.cost.pteUpdateNs);
    marked++;
  }
  if (marked && !pmdNuma(k, pt.pmdFlags[idx])) {
    k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
    pt.pmdFlags[idx] = pmdMknuma(k, pt.pmdFlags[idx]);
  }
  return marked;
}

/**
 * mm/mempolicy.c: change_prot_numa's step-23 body: walk [start,end) one pmd at a time, then one
 * flush_tlb_range if anything was marked. The kernel passes the loop cursor as the start of that
 * range, by then at or past `end`, so the flush covers [cursor, end): usually nothing (kept as read;
 * step 24 flushes the real range).
 */
function changeProtNumaWalk(k: Kernel, vma: Vma, start: number, end: number): number {
  let progress = 0;
  let addr = start;
  while (addr < end) {
    const next = Math.min(end, (Math.floor(addr / PMD_SIZE) + 1) * PMD_SIZE);
    progress += changeProtNumaRange(k, vma, addr, next);
    addr = (Math.floor(addr / PMD_SIZE) + 1) * PMD_SIZE;
  }
  if (progress) k.tlb.flushTlbRange(k, vma.mm, addr, end);
  return progress;
}

/**
 * mm/mempolicy.c: change_prot_numa(vma, start, end): make the range's private pages raise NUMA
 * hinting faults on their next access. Only with CONFIG_ARCH_USES_NUMA_PROT_NONE (i.e. a
 * CONFIG_NUMA_BALANCING build on x86); otherwise the stub returns 0. Step 23 (changeProtNuma
 * "own-walker"): its own walker (void in the kernel; the model returns what it marked). Step 24
 * ("change-protection"): change_protection(vma, start, end, vma->vm_page_prot, 0, prot_numa=1),
 * returning that count, which step 30 adds to numa_pte_updates (count_vm_numa_events).
 */
export function changeProtNuma(k: Kernel, vma: Vma, start: number, end: number): number {
  const f = k.features;
  if (f.changeProtNuma === "absent" || !f.CONFIG_NUMA_BALANCING) return 0;
  if (f.changeProtNuma === "own-walker") return changeProtNumaWalk(k, vma, start, end);
  const nrUpdated = k.mprotect.changeProtection(k, vma, start, end, vma.flags, false, true);
  if (nrUpdated) countVmNumaEvents(k, NUMA_PTE_UPDATES, nrUpdated);
  return nrUpdated;
}
