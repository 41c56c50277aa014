/**
 * mm/mempolicy.c: mbind(2): sys_mbind, do_mbind, check_range (find and isolate misplaced pages),
 * mbind_range (set vma policies, splitting and merging vmas) and new_vma_page (the migration
 * target allocator).
 */
import {
  isUserPage,
  CAP_SYS_NICE,
  EFAULT,
  EINVAL,
  EIO,
  EPERM,
  GFP_HIGHUSER_MOVABLE,
  MIGRATE_SYNC,
  MPOL_DEFAULT,
  MPOL_F_MOF,
  MPOL_F_RELATIVE_NODES,
  MPOL_F_STATIC_NODES,
  MPOL_MF_LAZY,
  MPOL_MF_MOVE,
  MPOL_MF_MOVE_ALL,
  MPOL_MF_STRICT,
  MPOL_MODE_FLAGS,
  MPOL_NOOP,
  PAGE_SIZE,
  PMD_SIZE,
  PTRS_PER_PTE,
  VM_HUGETLB,
  mpolEqual,
  pmdIndex,
  pteIndex,
  type Kernel,
  type Mempolicy,
  type MmStruct,
  type Features,
  type Nodemask,
  type Task,
  type Vma,
  pageMapcount,
  vmaMigratable,
  capable,
  MR_MEMPOLICY_MBIND,
  low32,
  type UserArg,
  pageToNid,
} from "@balancenuma/include-linux";
import { pmdTransHuge, ptePresent, pteSpecial } from "@balancenuma/arch-x86-pgtable";
import { modNodeState, NR_ISOLATED_ANON } from "@balancenuma/vmstat";
import { allocPagesVma } from "./alloc.js";
import { changeProtNuma } from "./change-prot-numa.js";
import { getNodes, mpolDup, mpolMax, mpolNew, mpolSetNodemask } from "./policy.js";
import { mpolSetSharedPolicy } from "./shared-policy.js";

/**
 * Whether the kernel has step 23's mbind code ("mm: mempolicy: Add MPOL_MF_LAZY"): the MPOL_MF_LAZY
 * branch in check_range, MPOL_F_MOF in do_mbind, the do_mbind restructure and MPOL_MF_INTERNAL moved
 * up one bit. Step 25 hides LAZY from user space but keeps all of that; of step 23's gates only
 * changeProtNuma stays set from 23 on, so it stands for the step's code here.
 */
export function mbindLazyCode(features: Readonly<Features>): boolean {
  return features.changeProtNuma !== "absent";
}

/**
 * include/uapi/linux/mempolicy.h: MPOL_MF_INTERNAL, where the kernel-internal mbind flags start:
 * 1 << 3 at 3.7, 1 << 4 from step 23 (MPOL_MF_LAZY took bit 3).
 */
export function mpolMfInternal(features: Readonly<Features>): number {
  return mbindLazyCode(features) ? 1 << 4 : 1 << 3;
}

/** mm/mempolicy.c: MPOL_MF_DISCONTIG_OK (holes are fine: default policy). */
export const mpolMfDiscontigOk = (features: Readonly<Features>): number => mpolMfInternal(features) << 0;
/** mm/mempolicy.c: MPOL_MF_INVERT (misplaced = not in the mask). */
export const mpolMfInvert = (features: Readonly<Features>): number => mpolMfInternal(features) << 1;

/**
 * include/uapi/linux/mempolicy.h: MPOL_MF_VALID, the flags mbind accepts from user space:
 * STRICT | MOVE | MOVE_ALL, plus MPOL_MF_LAZY at steps 23-24 (gate mbindLazy; step 25 hides it).
 */
export function mpolMfValid(features: Readonly<Features>): number {
  return MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL | (features.mbindLazy ? MPOL_MF_LAZY : 0);
}

/**
 * What do_mbind returns for MPOL_NOOP at step 23 (defect (b) in series/23-mpol-mf-lazy/PATCH.md): mbind_range
 * is skipped for NOOP, so `err` still holds PTR_ERR(vma) from check_range, i.e. the address of the
 * first struct vm_area_struct read as a long. The model has no kernel addresses: this stands for one
 * (0xffff880000000000, the start of the x86-64 direct map, as a signed long): non-zero, and far
 * outside the -4095..-1 errno range, so user space sees an odd positive-looking success value.
 */
export const MBIND_NOOP_PTR_ERR = -0x7800_0000_0000;

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
  if (!(flags & MPOL_MF_MOVE_ALL) && pageMapcount(k.pages, pfn) !== 1) return;
  if (k.migrate.isolateLruPage(k, pfn) !== 0) return;
  list.pfns.push(pfn);
  list.addrs.push(addr);
  modNodeState(k, pageToNid(k.pages, pfn), NR_ISOLATED_ANON, 1);
}

/**
 * mm/mempolicy.c: check_pte_range: visit the pages mapped in [addr,end) of one pte page; a page is
 * misplaced when its node's membership in `nodes` differs from "not MPOL_MF_INVERT". Misplaced pages
 * are queued with MOVE/MOVE_ALL; otherwise the first one stops the walk. Returns true if stopped.
 */
function checkPteRange(k: Kernel, vma: Vma, addr: number, end: number, nodes: Nodemask, flags: number, list: PageList): boolean {
  const pt = vma.mm.pgtable;
  const base = pt.pmdVal[pmdIndex(addr)] * PTRS_PER_PTE;
  const invert = (flags & mpolMfInvert(k.features)) !== 0;
  for (; addr < end; addr += PAGE_SIZE) {
    const ptep = base + pteIndex(addr);
    const pte = pt.pteFlags[ptep];
    const pfn = pt.ptePfn[ptep];
    // vm_normal_page: a real page (anonymous or shmem; not special, not the zero page).
    if (!ptePresent(pte) || pteSpecial(pte) || pfn < 0 || !isUserPage(k.pages, pfn)) continue;
    const inMask = ((nodes >> BigInt(pageToNid(k.pages, pfn))) & 1n) === 1n;
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
      if (pmdTransHuge(pt.pmdFlags[idx])) k.hugeMemory.splitHugePagePmd(k, vma, idx);
      if (pt.pmdFlags[idx] !== 0 && !pmdTransHuge(pt.pmdFlags[idx]) && checkPteRange(k, vma, addr, next, nodes, flags, list)) return -EIO;
    }
    addr = next;
  }
  return 0;
}

/**
 * mm/mempolicy.c: check_range: verify [start,end) is mapped without holes (unless
 * MPOL_MF_DISCONTIG_OK) and, for STRICT or MOVE, walk each vma's pages. 3.7 only notices holes after
 * the first vma (a hole at `start` is caught later by mbind_range). From step 23 (mbindLazyCode) a
 * MPOL_MF_LAZY walk marks each non-hugetlb vma's part of the range with change_prot_numa instead of
 * checking and isolating pages (no vma_migratable test, no MOVE flag needed). Returns the first vma
 * or -errno.
 */
export function checkRange(k: Kernel, mm: MmStruct, start: number, end: number, nodes: Nodemask, flags: number, list: PageList): Vma | number {
  const first = k.memory.findVma(mm, start);
  if (first === null) return -EFAULT;
  const lazy = mbindLazyCode(k.features) && (flags & MPOL_MF_LAZY) !== 0;
  let prev: Vma | null = null;
  for (let i = mm.vmas.indexOf(first); i < mm.vmas.length && mm.vmas[i].start < end; i++) {
    const vma = mm.vmas[i];
    if (!(flags & mpolMfDiscontigOk(k.features))) {
      if (i === mm.vmas.length - 1 && vma.end < end) return -EFAULT;
      if (prev !== null && prev.end < vma.start) return -EFAULT;
    }
    const endvma = Math.min(vma.end, end);
    if (vma.flags & VM_HUGETLB) {
      // skipped (3.7 tests it inside the walk condition below: same outcome)
    } else if (lazy) {
      if (vma.start > start) start = vma.start;
      changeProtNuma(k, vma, start, endvma);
    } else if (flags & MPOL_MF_STRICT || (flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL) && vmaMigratable(vma))) {
      if (vma.start > start) start = vma.start;
      const err = checkPgdRange(k, vma, start, endvma, nodes, flags, list);
      if (err) return err;
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
      // vma_replace_policy: a shared mapping's object takes the policy for its pages here.
      if (vma.shm) mpolSetSharedPolicy(vma.shm, vma.pgoff, vma.pgoff + (vma.end - vma.start) / PAGE_SIZE, newPol);
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

/** mm/mempolicy.c (the migrate_pages call of do_mbind): move the isolated pages as the new policy says. Returns nr_failed. */
function migrateIsolated(k: Kernel, mm: MmStruct, start: number, list: PageList): number {
  const addrOf = new Map<number, number>();
  for (let i = 0; i < list.pfns.length; i++) addrOf.set(list.pfns[i], list.addrs[i]);
  const r = k.migrate.migratePages(k, list.pfns, (old) => newVmaPage(k, mm, addrOf.get(old) ?? start), MIGRATE_SYNC, MR_MEMPOLICY_MBIND);
  const nrFailed = r.error < 0 ? r.error : r.failed + r.retry;
  if (nrFailed) k.migrate.putbackLruPages(k, list.pfns);
  return nrFailed;
}

/**
 * mm/mempolicy.c: do_mbind. Order of checks as in 3.7: flags, capability, alignment, empty range,
 * policy, then (under mmap_sem) the range walk, the policy update and the migration. MPOL_DEFAULT
 * drops STRICT and tolerates holes. With STRICT, pages left misplaced after migration give -EIO.
 *
 * The series: MPOL_NOOP (steps 18-24) drops STRICT like MPOL_DEFAULT. Step 23 (mbindLazyCode):
 * MPOL_MF_LAZY (accepted from user space at 23-24 only, gate mbindLazy) sets MPOL_F_MOF in the new
 * policy and makes check_range mark the range with change_prot_numa instead of isolating pages;
 * migration runs only if both check_range and mbind_range succeeded (else isolated pages are put
 * back). At 23-24 (mpolNoop "retain") mbind_range is skipped for MPOL_NOOP so the existing policy
 * stays, and `err` keeps check_range's vma pointer (MBIND_NOOP_PTR_ERR, see there).
 */
export function doMbind(k: Kernel, task: Task, start: number, len: number, mode: number, modeFlags: number, nodes: Nodemask, flagsArg: number): number {
  const f = k.features;
  const noop = f.mpolNoop !== "absent" && mode === MPOL_NOOP;
  let flags = flagsArg;
  if (flags & ~mpolMfValid(f)) return -EINVAL;
  if (flags & MPOL_MF_MOVE_ALL && !capable(task, CAP_SYS_NICE)) return -EPERM;
  if (start % PAGE_SIZE !== 0) return -EINVAL;
  if (mode === MPOL_DEFAULT || noop) flags &= ~MPOL_MF_STRICT;
  const end = start + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  if (end >= 2 ** 64) return -EINVAL; // end < start after unsigned wrap-around
  if (end === start) return 0;
  const mm = task.mm;
  if (mm === null) return -EFAULT;
  const pol = mpolNew(f, mode, modeFlags, nodes);
  if (typeof pol === "number") return pol;
  if (mbindLazyCode(f) && flags & MPOL_MF_LAZY) {
    // new->flags |= MPOL_F_MOF with new == NULL for MPOL_DEFAULT / MPOL_NOOP (steps 23-24 only:
    // user space can pass LAZY): defect (a) in series/23-mpol-mf-lazy/PATCH.md, a NULL dereference.
    if (pol === null) throw new Error("BUG: unable to handle kernel NULL pointer dereference in do_mbind (MPOL_MF_LAZY with a NULL policy)");
    pol.flags |= MPOL_F_MOF;
  }
  if (pol === null) flags |= mpolMfDiscontigOk(f);

  k.lock(mm.mmapSem, k.cost.lockNs); // down_write(&mm->mmap_sem)
  const err0 = mpolSetNodemask(k, task, pol, nodes);
  if (err0) return err0;
  const list: PageList = { pfns: [], addrs: [] };
  const first = checkRange(k, mm, start, end, nodes, flags | mpolMfInvert(f), list);
  if (mbindLazyCode(f)) {
    let err: number;
    if (typeof first === "number") err = first;
    else if (noop && f.mpolNoop === "retain") err = MBIND_NOOP_PTR_ERR;
    else err = mbindRange(k, mm, start, end, pol);
    if (err) {
      k.migrate.putbackLruPages(k, list.pfns);
      return err;
    }
    const nrFailed = list.pfns.length > 0 ? migrateIsolated(k, mm, start, list) : 0;
    return nrFailed && flags & MPOL_MF_STRICT ? -EIO : 0;
  }
  if (typeof first === "number") {
    k.migrate.putbackLruPages(k, list.pfns);
    return first;
  }
  let err = mbindRange(k, mm, start, end, pol);
  const nrFailed = list.pfns.length > 0 ? migrateIsolated(k, mm, start, list) : 0;
  if (!err && nrFailed && flags & MPOL_MF_STRICT) err = -EIO;
  return err;
}

/**
 * mm/mempolicy.c: sys_mbind: split the mode word (an unsigned long: bits above the mode flags make
 * it an unknown mode), read the nodemask, then do_mbind.
 */
export function sysMbind(
  k: Kernel,
  task: Task,
  start: number,
  len: number,
  modeArg: number,
  nmask: UserArg<Nodemask> | null,
  maxnode: number,
  flags: number,
): number {
  const modeFlags = low32(modeArg) & MPOL_MODE_FLAGS;
  const mode = modeArg - modeFlags;
  if (mode < 0 || mode >= mpolMax(k.features)) return -EINVAL;
  if (modeFlags & MPOL_F_STATIC_NODES && modeFlags & MPOL_F_RELATIVE_NODES) return -EINVAL;
  const nodes = getNodes(k, task, nmask, maxnode);
  if (typeof nodes === "number") return nodes;
  return doMbind(k, task, start, len, mode, modeFlags, nodes, flags);
}
