/**
 * mm/mempolicy.c: mbind(2): sys_mbind, do_mbind, check_range (find and isolate misplaced pages),
 * mbind_range (set vma policies, splitting and merging vmas) and new_vma_page (the migration
 * target allocator).
 */
import {
  CAP_SYS_NICE,
  EFAULT,
  EINVAL,
  EIO,
  EPERM,
  GFP_HIGHUSER_MOVABLE,
  MIGRATE_SYNC,
  MPOL_DEFAULT,
  MPOL_F_RELATIVE_NODES,
  MPOL_F_STATIC_NODES,
  MPOL_MF_MOVE,
  MPOL_MF_MOVE_ALL,
  MPOL_MF_STRICT,
  MPOL_MODE_FLAGS,
  PAGE_SIZE,
  PG_anon,
  PMD_SIZE,
  PTRS_PER_PTE,
  VM_HUGETLB,
  VM_IO,
  VM_PFNMAP,
  mpolEqual,
  pmdIndex,
  pteIndex,
  type Kernel,
  type Mempolicy,
  type MmStruct,
  type Nodemask,
  type Task,
  type Vma,
} from "@balancenuma/include-linux";
import { pmdTransHuge, ptePresent, pteSpecial } from "@balancenuma/arch-x86-pgtable";
import { modNodeState, NR_ISOLATED_ANON } from "@balancenuma/vmstat";
import { allocPagesVma } from "./alloc.js";
import { capable, getNodes, mpolDup, mpolMax, mpolNew, mpolSetNodemask } from "./policy.js";

/** Internal mbind flags (mm/mempolicy.c): holes are fine (default policy); misplaced = not in the mask. */
export const MPOL_MF_INTERNAL = 1 << 3;
export const MPOL_MF_DISCONTIG_OK = MPOL_MF_INTERNAL << 0;
export const MPOL_MF_INVERT = MPOL_MF_INTERNAL << 1;

/** enum migrate_reason: MR_MEMPOLICY_MBIND (include/linux/migrate.h). */
export const MR_MEMPOLICY_MBIND = 4;

/** include/linux/mempolicy.h: vma_migratable: no I/O, pfn-mapped or hugetlb vmas. */
export function vmaMigratable(vma: Vma): boolean {
  return (vma.flags & (VM_IO | VM_HUGETLB | VM_PFNMAP)) === 0;
}

/** Pages isolated by check_range, with the user address each was found at (for new_vma_page). */
interface PageList {
  pfns: number[];
  addrs: number[];
}

/**
 * mm/mempolicy.c: migrate_page_add: isolate a misplaced page for migration. Shared pages (mapped more
 * than once) move only with MPOL_MF_MOVE_ALL; a page that cannot be isolated is skipped silently.
 */
function migratePageAdd(k: Kernel, pfn: number, addr: number, list: PageList, flags: number): void {
  if (!(flags & MPOL_MF_MOVE_ALL) && k.pages.mapcount[pfn] !== 1) return;
  if (k.migrate.isolateLruPage(k, pfn) !== 0) return;
  list.pfns.push(pfn);
  list.addrs.push(addr);
  modNodeState(k, k.pages.nid[pfn], NR_ISOLATED_ANON, 1);
}

/**
 * mm/mempolicy.c: check_pte_range: visit the pages mapped in [addr,end) of one pte page; a page is
 * misplaced when its node's membership in `nodes` differs from "not MPOL_MF_INVERT". Misplaced pages
 * are queued with MOVE/MOVE_ALL; otherwise the first one stops the walk. Returns true if stopped.
 */
function checkPteRange(k: Kernel, vma: Vma, addr: number, end: number, nodes: Nodemask, flags: number, list: PageList): boolean {
  const pt = vma.mm.pgtable;
  const base = pt.pmdVal[pmdIndex(addr)] * PTRS_PER_PTE;
  const invert = (flags & MPOL_MF_INVERT) !== 0;
  for (; addr < end; addr += PAGE_SIZE) {
    const ptep = base + pteIndex(addr);
    const pte = pt.pteFlags[ptep];
    const pfn = pt.ptePfn[ptep];
    // vm_normal_page: a real page (not special, not the zero page or another non-anon frame).
    if (!ptePresent(pte) || pteSpecial(pte) || pfn < 0 || !(k.pages.flags[pfn] & PG_anon)) continue;
    const inMask = ((nodes >> BigInt(k.pages.nid[pfn])) & 1n) === 1n;
    if (inMask === invert) continue;
    if (flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) migratePageAdd(k, pfn, addr, list, flags);
    else return true;
  }
  return false;
}

/**
 * mm/mempolicy.c: check_pgd_range down to check_pmd_range: huge pmds are split first (mbind works on
 * 4K pages in 3.7), empty pmds skipped. Returns 0 or -EIO when a strict check found a misplaced page.
 */
function checkPgdRange(k: Kernel, vma: Vma, start: number, end: number, nodes: Nodemask, flags: number, list: PageList): number {
  const pt = vma.mm.pgtable;
  for (let addr = start; addr < end; ) {
    const next = Math.min(end, (Math.floor(addr / PMD_SIZE) + 1) * PMD_SIZE);
    const idx = pmdIndex(addr);
    if (idx < pt.pmdCount && pt.pmdFlags[idx] !== 0) {
      if (pmdTransHuge(pt.pmdFlags[idx])) k.hugeMemory.splitHugePmd(k, vma, idx);
      if (pt.pmdFlags[idx] !== 0 && !pmdTransHuge(pt.pmdFlags[idx]) && checkPteRange(k, vma, addr, next, nodes, flags, list)) return -EIO;
    }
    addr = next;
  }
  return 0;
}

/**
 * mm/mempolicy.c: check_range: verify [start,end) is mapped without holes (unless
 * MPOL_MF_DISCONTIG_OK) and, for STRICT or MOVE, walk each vma's pages. 3.7 only notices holes after
 * the first vma (a hole at `start` is caught later by mbind_range). Returns the first vma or -errno.
 */
export function checkRange(k: Kernel, mm: MmStruct, start: number, end: number, nodes: Nodemask, flags: number, list: PageList): Vma | number {
  const first = k.memory.findVma(mm, start);
  if (first === null) return -EFAULT;
  let prev: Vma | null = null;
  for (let i = mm.vmas.indexOf(first); i < mm.vmas.length && mm.vmas[i].start < end; i++) {
    const vma = mm.vmas[i];
    if (!(flags & MPOL_MF_DISCONTIG_OK)) {
      if (i === mm.vmas.length - 1 && vma.end < end) return -EFAULT;
      if (prev !== null && prev.end < vma.start) return -EFAULT;
    }
    if (flags & MPOL_MF_STRICT || (flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL) && vmaMigratable(vma))) {
      if (!(vma.flags & VM_HUGETLB)) {
        const endvma = Math.min(vma.end, end);
        if (vma.start > start) start = vma.start;
        const err = checkPgdRange(k, vma, start, endvma, nodes, flags, list);
        if (err) return err;
      }
    }
    prev = vma;
  }
  return first;
}

/**
 * mm/mempolicy.c: mbind_range: give every vma piece in [start,end) its own copy of the new policy,
 * splitting vmas at the range edges; vmas that already have an equal policy are left alone. Pieces
 * are merged with compatible neighbours afterwards (the kernel tries vma_merge first; the resulting
 * layout is the same). -EFAULT if no vma starts at or before `start`.
 */
export function mbindRange(k: Kernel, mm: MmStruct, start: number, end: number, newPol: Mempolicy | null): number {
  const first = k.memory.findVma(mm, start);
  if (first === null || first.start > start) return -EFAULT;
  let changed = false;
  for (let addr = start; addr < end; ) {
    let vma = k.memory.findVma(mm, addr);
    if (vma === null || vma.start >= end) break;
    const next = vma.end;
    if (!mpolEqual(vma.policy, newPol)) {
      if (vma.start < addr) vma = k.memory.splitVma(k, vma, addr);
      if (vma.end > end) k.memory.splitVma(k, vma, end);
      vma.policy = mpolDup(newPol);
      changed = true;
    }
    addr = Math.min(next, end);
  }
  if (changed) k.memory.mergeVmas(k, mm, start, end);
  return 0;
}

/**
 * mm/mempolicy.c: new_vma_page: the migration target for an isolated page, allocated with the policy
 * now in force at the page's address (alloc_page_vma, GFP_HIGHUSER_MOVABLE). The range stays mapped
 * during mbind, so the vma is always found; local allocation is only a guard.
 */
function newVmaPage(k: Kernel, mm: MmStruct, addr: number): number {
  const vma = k.memory.findVma(mm, addr);
  if (vma === null || vma.start > addr) return k.pageAlloc.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, k.cpus[k.currentCpu].node, null);
  return allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, addr);
}

/**
 * mm/migrate.c: putback_lru_pages: every page still on the list goes back to the LRU and out of
 * NR_ISOLATED_ANON (migrate_pages leaves on the list exactly the pages it did not finish with).
 */
function putbackLruPages(k: Kernel, pfns: readonly number[]): void {
  for (const pfn of pfns) {
    modNodeState(k, k.pages.nid[pfn], NR_ISOLATED_ANON, -1);
    k.migrate.putbackLruPage(k, pfn);
  }
}

/**
 * mm/mempolicy.c: do_mbind. Order of checks as in 3.7: flags, capability, alignment, empty range,
 * policy, then (under mmap_sem) the range walk, the policy update and the migration. MPOL_DEFAULT
 * drops STRICT and tolerates holes. With STRICT, pages left misplaced after migration give -EIO.
 */
export function doMbind(k: Kernel, task: Task, start: number, len: number, mode: number, modeFlags: number, nodes: Nodemask, flagsArg: number): number {
  let flags = flagsArg;
  if (flags & ~(MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) return -EINVAL;
  if (flags & MPOL_MF_MOVE_ALL && !capable(task, CAP_SYS_NICE)) return -EPERM;
  if (start % PAGE_SIZE !== 0) return -EINVAL;
  if (mode === MPOL_DEFAULT) flags &= ~MPOL_MF_STRICT;
  const end = start + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  if (end >= 2 ** 64) return -EINVAL; // end < start after unsigned wrap-around
  if (end === start) return 0;
  const mm = task.mm;
  if (mm === null) return -EFAULT;
  const pol = mpolNew(mode, modeFlags, nodes);
  if (typeof pol === "number") return pol;
  if (pol === null) flags |= MPOL_MF_DISCONTIG_OK;

  k.lock(mm.mmapSem, k.cost.lockNs); // down_write(&mm->mmap_sem)
  const err0 = mpolSetNodemask(k, task, pol, nodes);
  if (err0) return err0;
  const list: PageList = { pfns: [], addrs: [] };
  const first = checkRange(k, mm, start, end, nodes, flags | MPOL_MF_INVERT, list);
  if (typeof first === "number") {
    putbackLruPages(k, list.pfns);
    return first;
  }
  let err = mbindRange(k, mm, start, end, pol);
  let nrFailed = 0;
  if (list.pfns.length > 0) {
    const addrOf = new Map<number, number>();
    for (let i = 0; i < list.pfns.length; i++) addrOf.set(list.pfns[i], list.addrs[i]);
    const r = k.migrate.migratePages(k, list.pfns, (old) => newVmaPage(k, mm, addrOf.get(old) ?? start), MIGRATE_SYNC, MR_MEMPOLICY_MBIND);
    nrFailed = r.error < 0 ? r.error : r.failed + r.retry;
    if (nrFailed) putbackLruPages(k, list.pfns);
  }
  if (!err && nrFailed && flags & MPOL_MF_STRICT) err = -EIO;
  return err;
}

/** mm/mempolicy.c: sys_mbind: split the mode word, read the nodemask, then do_mbind. */
export function sysMbind(k: Kernel, task: Task, start: number, len: number, modeArg: number, nmask: Nodemask | null, maxnode: number, flags: number): number {
  const modeFlags = modeArg & MPOL_MODE_FLAGS;
  const mode = modeArg & ~MPOL_MODE_FLAGS;
  if (mode < 0 || mode >= mpolMax(k.features)) return -EINVAL;
  if (modeFlags & MPOL_F_STATIC_NODES && modeFlags & MPOL_F_RELATIVE_NODES) return -EINVAL;
  const nodes = getNodes(nmask, maxnode);
  if (typeof nodes === "number") return nodes;
  return doMbind(k, task, start, len, mode, modeFlags, nodes, flags);
}
