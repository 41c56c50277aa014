/**
 * mm/mprotect.c: change_protection and its page-table walk (change_pmd_range, change_pte_range):
 * rewrite the protection of every entry in a range of one vma, then flush the TLB.
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
  pageToNid,
} from "@balancenuma/include-linux";
import {
  _PAGE_FILE,
  isWriteMigrationEntry,
  makeMigrationEntry,
  pmdMknuma,
  pmdTransHuge,
  pteDirty,
  pteMknuma,
  pteMkwrite,
  pteModify,
  pteNuma,
  ptePresent,
  pteSpecial,
  vmGetPageProt,
} from "@balancenuma/arch-x86-pgtable";

/**
 * change_pte_range's report to change_pmd_range (step 32, "all_same_node"): whether every normal
 * page the prot_numa walk saw was on one node. One object per change_protection call.
 */
interface PteRangeResult {
  allSameNode: boolean;
}

/**
 * mm/mprotect.c: change_pte_range: within one pte page, give each present pte the new protection
 * (ptep_modify_prot_start/commit: pfn, accessed and dirty kept) and downgrade write migration entries
 * to read ones. Returns the entries it rewrote: present ptes and non-file swap (migration) entries,
 * not none ptes (the rule of "Count the number of pages affected in change_protection()").
 *
 * prot_numa (step 24 on, from change_prot_numa): the protection is left alone; a pte with a normal,
 * non-shared page (mapcount 1) that is not already pte_numa is made pte_numa, and only those count
 * (a present pte that was not updated no longer counts). From step 32 (gate pmdNumaMigrate) the node
 * of every normal page is compared with the first one seen, for `res.allSameNode`. Migration entries
 * are downgraded and counted with prot_numa too, as the kernel does.
 */
export function changePteRange(
  k: Kernel,
  vma: Vma,
  addr: number,
  end: number,
  newprot: number,
  dirtyAccountable: boolean,
  protNuma = false,
  res?: PteRangeResult,
): number {
  const pt = vma.mm.pgtable;
  const base = pt.pmdVal[pmdIndex(addr)] * PTRS_PER_PTE;
  const cost = k.cost.pteUpdateNs;
  const trackNodes = protNuma && k.features.pmdNumaMigrate;
  let lastNid = -1;
  let pages = 0;
  for (let i = base + pteIndex(addr), n = (end - addr) / PAGE_SIZE; n > 0; i++, n--) {
    const old = pt.pteFlags[i];
    if (ptePresent(old)) {
      let ptent = old;
      let updated = false;
      if (!protNuma) {
        ptent = pteModify(old, newprot);
        updated = true;
      } else {
        const pfn = pt.ptePfn[i];
        // vm_normal_page: a real page (anonymous or shmem; not special).
        if (!pteSpecial(old) && pfn >= 0 && isUserPage(k.pages, pfn)) {
          if (trackNodes) {
            const nid = pageToNid(k.pages, pfn);
            if (lastNid === -1) lastNid = nid;
            if (lastNid !== nid && res !== undefined) res.allSameNode = false;
          }
          // Only pages mapped once: a shared page's hinting faults would say little about one task.
          if (!pteNuma(k, old) && pageMapcount(k.pages, pfn) === 1) {
            ptent = pteMknuma(k, ptent);
            updated = true;
          }
        }
      }
      // Avoid write faults on pages already known dirty (shared writable mappings with writenotify).
      if (dirtyAccountable && pteDirty(ptent)) {
        ptent = pteMkwrite(ptent);
        updated = true;
      }
      pt.pteFlags[i] = ptent;
      k.charge(cost);
      if (updated) pages++;
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
 * mm/mprotect.c: change_pmd_protnuma: mark a table pmd numa (under mm->page_table_lock), so that one
 * hinting fault on it handles the whole 2 MB region (do_pmd_numa_page). Step 24 on.
 */
export function changePmdProtnuma(k: Kernel, vma: Vma, pmdIdx: number): void {
  const mm = vma.mm;
  k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
  mm.pgtable.pmdFlags[pmdIdx] = pmdMknuma(k, mm.pgtable.pmdFlags[pmdIdx]);
}

/**
 * mm/mprotect.c: change_pmd_range: a huge pmd the range covers entirely goes to change_huge_pmd
 * (HPAGE_PMD_NR entries when it handled it); one covered in part is split first and its ptes
 * changed one by one; empty pmds are skipped. With prot_numa every table pmd whose ptes were walked is
 * then marked numa: always at steps 24-31, only if all its normal pages share a node from step 32
 * (gate pmdNumaMigrate).
 */
export function changePmdRange(k: Kernel, vma: Vma, start: number, end: number, newprot: number, dirtyAccountable: boolean, protNuma = false): number {
  const pt = vma.mm.pgtable;
  const res: PteRangeResult = { allSameNode: true };
  let pages = 0;
  for (let addr = start; addr < end; ) {
    const next = Math.min(end, (Math.floor(addr / PMD_SIZE) + 1) * PMD_SIZE);
    const idx = pmdIndex(addr);
    if (idx < pt.pmdCount && pt.pmdFlags[idx] !== 0) {
      let done = false;
      if (pmdTransHuge(pt.pmdFlags[idx])) {
        if (next - addr !== PMD_SIZE) k.hugeMemory.splitHugePagePmd(k, vma, idx);
        else if (k.hugeMemory.changeHugePmd(k, vma, idx, newprot, protNuma)) {
          pages += HPAGE_PMD_NR;
          done = true;
        }
      }
      // pmd_none_or_clear_bad after a split or a change_huge_pmd that declined (a splitting pmd).
      if (!done && pt.pmdFlags[idx] !== 0 && !pmdTransHuge(pt.pmdFlags[idx])) {
        res.allSameNode = true;
        pages += changePteRange(k, vma, addr, next, newprot, dirtyAccountable, protNuma, res);
        if (protNuma && (!k.features.pmdNumaMigrate || res.allSameNode)) changePmdProtnuma(k, vma, idx);
      }
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
 * its own. `protNuma` is the argument step 24 (gate changeProtNuma "change-protection") adds for
 * change_prot_numa: mark entries for NUMA hinting faults instead of changing the protection. Before
 * step 24 the parameter does not exist and is ignored.
 */
export function changeProtection(k: Kernel, vma: Vma, start: number, end: number, newVmFlags: number, dirtyAccountable: boolean, protNumaArg: boolean): number {
  const protNuma = protNumaArg && k.features.changeProtNuma === "change-protection";
  const newprot = vmGetPageProt(newVmFlags);
  const pages = changePmdRange(k, vma, start, end, newprot, dirtyAccountable, protNuma);
  if (!k.features.changeProtectionFlushIfChanged || pages !== 0) k.tlb.flushTlbRange(k, vma.mm, start, end);
  return k.features.changeProtectionCounts ? pages : 0;
}
