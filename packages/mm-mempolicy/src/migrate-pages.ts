/**
 * mm/mempolicy.c: migrate_pages(2) (sys_migrate_pages, do_migrate_pages, migrate_to_node with its
 * check_range walk). Credentials as 3.7 checks them: another process's memory needs a matching
 * uid or CAP_SYS_NICE, nodes outside the target's cpuset need CAP_SYS_NICE, and only a caller
 * with CAP_SYS_NICE moves pages other processes map too (MPOL_MF_MOVE_ALL).
 */
import {
  isUserPage,
  CAP_SYS_NICE,
  EINVAL,
  EPERM,
  ESRCH,
  GFP_HIGHUSER_MOVABLE,
  MIGRATE_SYNC,
  MPOL_MF_MOVE,
  MPOL_MF_MOVE_ALL,
  MR_SYSCALL,
  PAGE_SIZE,
  PMD_SIZE,
  PTRS_PER_PTE,
  USER_BASE,
  capable,
  findTaskByVpid,
  mayMoveMemoryOf,
  nodeIsSet,
  nodeRemap,
  nodeStatesMemory,
  nodesOf,
  nodesWeight,
  pageMapcount,
  pmdIndex,
  pteIndex,
  vmaMigratable,
  type Kernel,
  type MmStruct,
  type Nodemask,
  type Task,
  type UserArg,
  pageToNid,
} from "@balancenuma/include-linux";
import { _PAGE_PSE, isMigrationEntry, ptePresent } from "@balancenuma/arch-x86-pgtable";
import { NR_ISOLATED_ANON, modNodeState } from "@balancenuma/vmstat";
import { getNodes } from "./policy.js";

const isSubset = (a: Nodemask, b: Nodemask): boolean => (a & ~b) === 0n;

/**
 * mm/mempolicy.c: migrate_to_node: isolate every page of the mm on node `source` (check_range
 * over the whole address space with the huge pmds split; shared pages only with MPOL_MF_MOVE_ALL)
 * and migrate them to `dest` (new_node: preferring dest, falling back along its zonelist).
 */
function migrateToNode(k: Kernel, mm: MmStruct, source: number, dest: number, flags: number): number {
  const p = k.pages;
  const list: number[] = [];
  const pt = mm.pgtable;
  for (const vma of mm.vmas.slice()) {
    if (!vmaMigratable(vma)) continue;
    for (let addr = vma.start; addr < vma.end; ) {
      const pi = pmdIndex(addr);
      const pmdEnd = Math.min(vma.end, USER_BASE + (pi + 1) * PMD_SIZE);
      if (pi >= pt.pmdCount) break;
      if (pt.pmdFlags[pi] & _PAGE_PSE) k.hugeMemory.splitHugePagePmd(k, vma, pi);
      if (pt.pmdFlags[pi] === 0) {
        addr = pmdEnd;
        continue;
      }
      const base = pt.pmdVal[pi] * PTRS_PER_PTE;
      for (; addr < pmdEnd; addr += PAGE_SIZE) {
        const ptep = base + pteIndex(addr);
        const pte = pt.pteFlags[ptep];
        if (!ptePresent(pte) || isMigrationEntry(pte)) continue;
        k.charge(k.cost.pteUpdateNs);
        const pfn = pt.ptePfn[ptep];
        if (pfn < 0 || !isUserPage(p, pfn) || pageToNid(p, pfn) !== source) continue;
        // migrate_page_add
        if (!(flags & MPOL_MF_MOVE_ALL) && pageMapcount(p, pfn) !== 1) continue;
        if (k.migrate.isolateLruPage(k, pfn) !== 0) continue;
        list.push(pfn);
        modNodeState(k, source, NR_ISOLATED_ANON, 1);
      }
    }
  }
  if (list.length === 0) return 0;
  const r = k.migrate.migratePages(k, list, () => k.pageAlloc.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, dest, null), MIGRATE_SYNC, MR_SYSCALL);
  const err = r.error < 0 ? r.error : r.failed + r.retry;
  if (err !== 0) k.migrate.putbackLruPages(k, list);
  return err;
}

/**
 * mm/mempolicy.c: do_migrate_pages: move pages node by node so that the relative placement is kept
 * (each source node maps to the node at the same ordinal of `to`), choosing each time a source whose
 * destination is not itself still to be emptied. Returns the number of pages not moved, or -errno.
 */
function doMigratePages(k: Kernel, mm: MmStruct, from: Nodemask, to: Nodemask, flags: number): number {
  k.lock(mm.mmapSem, k.cost.lockNs, true);
  let busy = 0;
  let tmp = from;
  const sameWeight = nodesWeight(from) === nodesWeight(to);
  while (tmp !== 0n) {
    let source = -1;
    let dest = 0;
    for (const s of nodesOf(tmp)) {
      if (!sameWeight && nodeIsSet(to, s)) continue;
      const d = nodeRemap(s, from, to);
      if (s === d) continue;
      source = s;
      dest = d;
      if (!nodeIsSet(tmp, dest)) break;
    }
    if (source === -1) break;
    tmp &= ~(1n << BigInt(source));
    const err = migrateToNode(k, mm, source, dest, flags);
    if (err < 0) return err;
    busy += err;
  }
  return busy;
}

/** mm/mempolicy.c: sys_migrate_pages */
export function sysMigratePages(
  k: Kernel,
  caller: Task,
  pid: number,
  maxnode: number,
  oldNodes: UserArg<Nodemask> | null,
  newNodes: UserArg<Nodemask> | null,
): number {
  const from = getNodes(k, caller, oldNodes, maxnode);
  if (typeof from === "number") return from;
  const to = getNodes(k, caller, newNodes, maxnode);
  if (typeof to === "number") return to;
  const task = findTaskByVpid(k.tasks, caller, pid);
  if (task === null) return -ESRCH;
  if (!mayMoveMemoryOf(caller, task)) return -EPERM;
  const root = capable(caller, CAP_SYS_NICE);
  if (!isSubset(to, task.memsAllowed) && !root) return -EPERM;
  if (!isSubset(to, nodeStatesMemory(k))) return -EINVAL;
  const mm = task.mm;
  if (mm === null) return -EINVAL;
  return doMigratePages(k, mm, from, to, root ? MPOL_MF_MOVE_ALL : MPOL_MF_MOVE);
}
