/**
 * mm/memory.c: NUMA hinting faults (steps 16-41): do_numa_page for a pte_numa pte, do_pmd_numa_page
 * for a table pmd marked pmd_numa, numa_migrate_prep. The huge-pmd handler is in mm-huge-memory.
 *
 * Each handler grows with the series, and reads its gates where the kernel decided:
 * - step 16 (numaHintingFaults): the handlers exist and only clear the hint;
 * - step 22 (numaFaultMigrates): do_numa_page asks mpol_misplaced and calls migrate_misplaced_page;
 * - step 26 (numaScanner): task_numa_fault accounting; do_pmd_numa_page skips shared pages;
 * - step 30 (numaVmstat): numa_hint_faults / numa_hint_faults_local;
 * - step 32 (pmdNumaMigrate): numa_migrate_prep; do_pmd_numa_page migrates too;
 * - step 41 (scanPeriodGrowth "non-migrating"): task_numa_fault learns whether the fault migrated.
 */
import {
  PAGE_SIZE,
  PMD_SIZE,
  PTRS_PER_PTE,
  USER_BASE,
  type Kernel,
  type MmStruct,
  type Vma,
  pageMapcount,
  numaNodeId,
  putPage,
  taskNumaFault,
  pageToNid,
} from "@balancenuma/include-linux";
import { pmdMknonnuma, pmdNuma, pteMknonnuma, pteNuma, ptePresent, pteSpecial } from "@balancenuma/arch-x86-pgtable";
import { NUMA_HINT_FAULTS, NUMA_HINT_FAULTS_LOCAL, countVmNumaEvents } from "@balancenuma/vmstat";
import { findVma } from "./mmap.js";

/** mm/memory.c: vm_normal_page for the model's anon ptes: the pfn, or -1 for a special / pfn-less pte. */
export function vmNormalPage(mm: MmStruct, ptep: number, pte: number): number {
  const pfn = mm.pgtable.ptePfn[ptep];
  return pfn < 0 || pteSpecial(pte) ? -1 : pfn;
}

/**
 * mm/memory.c: numa_migrate_prep (step 32 on): take a page reference, count the hinting fault
 * (local when the page already sits on the faulting CPU's node), and ask mpol_misplaced.
 */
export function numaMigratePrep(k: Kernel, pfn: number, vma: Vma, addr: number, currentNid: number): number {
  k.pages.refcount[pfn]++; // get_page
  countVmNumaEvents(k, NUMA_HINT_FAULTS);
  if (currentNid === numaNodeId(k)) countVmNumaEvents(k, NUMA_HINT_FAULTS_LOCAL);
  return k.mempolicy.mpolMisplaced(k, pfn, vma, addr);
}

/**
 * mm/memory.c: do_numa_page: a fault on a pte_numa pte (`snapshot` is the pte handle_pte_fault
 * read). Clears the hint (present + accessed, no TLB flush: the old entry was not present); from
 * step 22 migrates a misplaced page; from step 26 accounts the fault to the task. Returns 0.
 */
export function doNumaPage(k: Kernel, mm: MmStruct, vma: Vma, addr: number, ptep: number, snapshot: number): number {
  const f = k.features;
  const pt = mm.pgtable;
  let currentNid = -1;
  let migrated = false;
  k.charge(k.cost.pteUpdateNs); // pte_offset_map_lock
  if (pt.pteFlags[ptep] === snapshot) {
    const pte = pteMknonnuma(k, snapshot);
    pt.pteFlags[ptep] = pte; // set_pte_at + update_mmu_cache
    k.charge(k.cost.pteUpdateNs);
    // Step 30 counts the fault here, before the page lookup (from step 32 numa_migrate_prep counts).
    if (!f.pmdNumaMigrate) countVmNumaEvents(k, NUMA_HINT_FAULTS);
    const pfn = vmNormalPage(mm, ptep, pte);
    // Step 16 looks the page up and does nothing with it.
    if (!f.numaFaultMigrates || pfn < 0) return 0;
    currentNid = pageToNid(k.pages, pfn);
    let target: number;
    if (f.pmdNumaMigrate) target = numaMigratePrep(k, pfn, vma, addr, currentNid);
    else {
      k.pages.refcount[pfn]++; // get_page
      if (currentNid === numaNodeId(k)) countVmNumaEvents(k, NUMA_HINT_FAULTS_LOCAL);
      target = k.mempolicy.mpolMisplaced(k, pfn, vma, addr); // under the pte lock
    }
    if (target === -1) {
      // Not misplaced: the fault counts for the node the task runs on.
      currentNid = numaNodeId(k);
      putPage(k, pfn);
    } else {
      // migrate_misplaced_page drops our reference.
      migrated = k.migrate.migrateMisplacedPage(k, pfn, target) === 1;
      if (migrated) currentNid = target;
    }
  }
  // The common exit: steps 26-31 account even the "pte changed" path (node -1); step 32 skips it.
  if (currentNid !== -1 || !f.pmdNumaMigrate) taskNumaFault(k, currentNid, 1, migrated);
  return 0;
}

/**
 * mm/memory.c: do_pmd_numa_page (compiled only with CONFIG_NUMA_BALANCING; BUG() otherwise): a fault
 * under a table pmd that change_prot_numa marked pmd_numa. One fault handles the whole 2 MiB: the
 * pmd and every pte_numa pte under it (even ones of a following vma) are cleared. Step 26 accounts
 * each non-shared page to the task (shared ones are skipped, already cleared); step 30 counts them;
 * step 32 asks numa_migrate_prep and migrates per page. Returns 0.
 */
export function doPmdNumaPage(k: Kernel, mm: MmStruct, vma: Vma, addr: number, pmd: number): number {
  const f = k.features;
  if (!f.CONFIG_NUMA_BALANCING) throw new Error("BUG: do_pmd_numa_page in a kernel built without CONFIG_NUMA_BALANCING");
  const pt = mm.pgtable;
  k.lock(mm.pageTableLock, k.cost.pteUpdateNs);
  const pmdv = pt.pmdFlags[pmd];
  if (!pmdNuma(k, pmdv)) return 0;
  pt.pmdFlags[pmd] = pmdMknonnuma(k, pmdv);
  const haddr = USER_BASE + pmd * PMD_SIZE;
  const end = haddr + PMD_SIZE;
  const base = pt.pmdVal[pmd] * PTRS_PER_PTE;
  const localNid = numaNodeId(k);
  let hint = 0;
  let hintLocal = 0;
  k.charge(k.cost.pteUpdateNs); // pte_offset_map_lock
  for (let a = Math.max(haddr, vma.start); a < end; a += PAGE_SIZE) {
    const ptep = base + (((a - USER_BASE) / PAGE_SIZE) & (PTRS_PER_PTE - 1));
    const pte = pt.pteFlags[ptep];
    if (!ptePresent(pte) || !pteNuma(k, pte)) continue;
    if (a >= vma.end) {
      const next = findVma(mm, a);
      if (!next || next.start > a) throw new Error(`BUG: do_pmd_numa_page: no vma at 0x${a.toString(16)}`);
      vma = next;
    }
    const clr = pteMknonnuma(k, pte);
    pt.pteFlags[ptep] = clr;
    k.charge(k.cost.pteUpdateNs);
    const pfn = vmNormalPage(mm, ptep, clr);
    if (pfn < 0) continue;
    // Step 26: only pages this mm alone maps are accounted (and, from 32, migrated).
    if (f.numaScanner === "none" || pageMapcount(k.pages, pfn) !== 1) continue;
    if (f.pmdNumaMigrate) {
      const target = numaMigratePrep(k, pfn, vma, a, pageToNid(k.pages, pfn));
      if (target === -1) {
        putPage(k, pfn);
        continue;
      }
      // The pte lock is dropped around the migration and taken again.
      const migrated = k.migrate.migrateMisplacedPage(k, pfn, target) === 1;
      taskNumaFault(k, migrated ? target : localNid, 1, migrated);
      k.charge(k.cost.pteUpdateNs);
    } else {
      const nid = pageToNid(k.pages, pfn);
      hint++;
      if (nid === localNid) hintLocal++;
      taskNumaFault(k, nid, 1, false);
    }
  }
  if (hint) countVmNumaEvents(k, NUMA_HINT_FAULTS, hint);
  if (hintLocal) countVmNumaEvents(k, NUMA_HINT_FAULTS_LOCAL, hintLocal);
  return 0;
}
