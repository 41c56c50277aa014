/**
 * mm/mprotect.c: change_protection and its page-table walk (change_pmd_range, change_pte_range):
 * rewrite the protection of every entry in a range of one vma, then flush the TLB.
 */
import {
  HPAGE_PMD_NR,
  PAGE_SIZE,
  PMD_SIZE,
  PTRS_PER_PTE,
  pmdIndex,
  pteIndex,
  type Kernel,
  type Vma,
} from "@balancenuma/include-linux";
import {
  _PAGE_FILE,
  isWriteMigrationEntry,
  makeMigrationEntry,
  pmdTransHuge,
  pteDirty,
  pteMkwrite,
  pteModify,
  ptePresent,
  vmGetPageProt,
} from "@balancenuma/arch-x86-pgtable";

/**
 * mm/mprotect.c: change_pte_range: within one pte page, give each present pte the new protection
 * (ptep_modify_prot_start/commit: pfn, accessed and dirty kept) and downgrade write migration entries
 * to read ones. Returns the entries it rewrote: present ptes and non-file swap (migration) entries,
 * not none ptes (the rule of "Count the number of pages affected in change_protection()").
 */
export function changePteRange(k: Kernel, vma: Vma, addr: number, end: number, newprot: number, dirtyAccountable: boolean): number {
  const pt = vma.mm.pgtable;
  const base = pt.pmdVal[pmdIndex(addr)] * PTRS_PER_PTE;
  const cost = k.cost.pteUpdateNs;
  let pages = 0;
  for (let i = base + pteIndex(addr), n = (end - addr) / PAGE_SIZE; n > 0; i++, n--) {
    const old = pt.pteFlags[i];
    if (ptePresent(old)) {
      let ptent = pteModify(old, newprot);
      // Avoid write faults on pages already known dirty (shared writable mappings with writenotify).
      if (dirtyAccountable && pteDirty(ptent)) ptent = pteMkwrite(ptent);
      pt.pteFlags[i] = ptent;
      k.charge(cost);
      pages++;
    } else if (old !== 0 && !(old & _PAGE_FILE)) {
      // A swap entry: only migration entries exist in the model. A protection check is hard, so
      // a write migration entry just loses write.
      if (isWriteMigrationEntry(old)) {
        pt.pteFlags[i] = makeMigrationEntry(false) | (old & ~makeMigrationEntry(true));
        k.charge(cost);
      }
      pages++;
    }
  }
  return pages;
}

/**
 * mm/mprotect.c: change_pmd_range: a huge pmd the range covers entirely goes to change_huge_pmd
 * (HPAGE_PMD_NR entries when it handled it); one covered in part is split first and its ptes
 * changed one by one; empty pmds are skipped.
 */
export function changePmdRange(k: Kernel, vma: Vma, start: number, end: number, newprot: number, dirtyAccountable: boolean): number {
  const pt = vma.mm.pgtable;
  let pages = 0;
  for (let addr = start; addr < end; ) {
    const next = Math.min(end, (Math.floor(addr / PMD_SIZE) + 1) * PMD_SIZE);
    const idx = pmdIndex(addr);
    if (idx < pt.pmdCount && pt.pmdFlags[idx] !== 0) {
      let done = false;
      if (pmdTransHuge(pt.pmdFlags[idx])) {
        if (next - addr !== PMD_SIZE) k.hugeMemory.splitHugePmd(k, vma, idx);
        else if (k.hugeMemory.changeHugePmd(k, vma, idx, newprot, false)) {
          pages += HPAGE_PMD_NR;
          done = true;
        }
      }
      // pmd_none_or_clear_bad after a split or a change_huge_pmd that declined (a splitting pmd).
      if (!done && pt.pmdFlags[idx] !== 0 && !pmdTransHuge(pt.pmdFlags[idx])) pages += changePteRange(k, vma, addr, next, newprot, dirtyAccountable);
    }
    addr = next;
  }
  return pages;
}

/**
 * mm/mprotect.c: change_protection (with change_protection_range): apply the protection of
 * `newVmFlags` (vm_get_page_prot) to [start,end) of vma, then flush_tlb_range.
 * Returns the number of entries changed from step 07 (gate changeProtectionCounts); 3.7-rc6 returns
 * nothing, modelled as 0. The tally itself is kept at every step (it is one add per entry) so that
 * step 08 (gate changeProtectionFlushIfChanged: flush only if something changed) can be read on
 * its own. `protNuma` is the NUMA-hinting variant a later step adds; it is accepted and ignored here.
 */
export function changeProtection(k: Kernel, vma: Vma, start: number, end: number, newVmFlags: number, dirtyAccountable: boolean, _protNuma: boolean): number {
  const newprot = vmGetPageProt(newVmFlags);
  const pages = changePmdRange(k, vma, start, end, newprot, dirtyAccountable);
  if (!k.features.changeProtectionFlushIfChanged || pages !== 0) k.tlb.flushTlbRange(k, vma.mm, start, end);
  return k.features.changeProtectionCounts ? pages : 0;
}
