/**
 * move_pages(2) (Linux 3.7-rc6, mm/migrate.c: sys_move_pages, do_pages_move,
 * do_move_page_to_node_array, do_pages_stat). migrate_pages(2) is mm/mempolicy.c: mm-mempolicy.
 *
 * Credentials: every simulated process runs as the same uid, so "may this caller move that
 * process's memory" always holds. CAP_SYS_NICE (needed for MPOL_MF_MOVE_ALL, and by migrate_pages(2)
 * to move to nodes outside the target's cpuset) is granted unless the caller's task carries a
 * capEffective set without it (the simulated user is root by default).
 */
import {
  CAP_SYS_NICE,
  EACCES,
  EFAULT,
  EINVAL,
  ENODEV,
  ENOENT,
  EPERM,
  FOLL_SPLIT,
  ESRCH,
  GFP_HIGHUSER_MOVABLE,
  GFP_THISNODE,
  MAX_NUMNODES,
  MIGRATE_SYNC,
  MPOL_MF_MOVE,
  MPOL_MF_MOVE_ALL,
  PAGE_SIZE,
  PG_anon,
  nodeIsSet,
  type Kernel,
  type MmStruct,
  type Nodemask,
  type Task,
  type Vma,
  pageMapcount,
  vmaMigratable,
  capable,
  MR_SYSCALL,
  findTaskByVpid,
  nodeStatesMemory,
} from "@balancenuma/include-linux";
import { _PAGE_PSE } from "@balancenuma/arch-x86-pgtable";
import { NR_ISOLATED_ANON, modNodeState } from "@balancenuma/vmstat";
import { isolateLruPage, migratePagesHooked, putbackLruPages } from "./migrate.js";

/** do_pages_move handles this many pages per migrate_pages call: a page of struct page_to_node (24 bytes) less the end marker. */
export const MOVE_PAGES_CHUNK = Math.floor(PAGE_SIZE / 24) - 1;
/** do_pages_stat reads this many addresses per mmap_sem hold. */
export const DO_PAGES_STAT_CHUNK_NR = 16;

/** The vma containing addr (find_vma plus the vm_start check), or null. */
function vmaAt(k: Kernel, mm: MmStruct, addr: number): Vma | null {
  const vma = k.memory.findVma(mm, addr);
  return vma !== null && vma.start <= addr && addr < vma.end ? vma : null;
}

/**
 * follow_page as the migration syscalls call it (FOLL_SPLIT to move; no FOLL_GET, the model's isolation
 * needs no reference): the ordinary
 * anonymous page mapped at addr (vm_normal_page), or -1 when there is none or the entry is not a
 * present page (a migration entry).
 */
function followAnonPage(k: Kernel, vma: Vma, addr: number, foll: number): number {
  const pfn = k.memory.followPage(k, vma, addr, foll);
  return pfn >= 0 && k.pages.flags[pfn] & PG_anon ? pfn : -1;
}

interface PageToNode {
  addr: number;
  node: number;
  page: number;
  status: number;
}

/** mm/migrate.c: do_move_page_to_node_array: isolate the chunk's pages and migrate them to their nodes. */
function doMovePageToNodeArray(k: Kernel, mm: MmStruct, pm: PageToNode[], migrateAll: boolean): number {
  k.lock(mm.mmapSem, k.cost.lockNs, true);
  const p = k.pages;
  const list: number[] = [];
  for (const pp of pm) {
    let err = -EFAULT;
    const vma = vmaAt(k, mm, pp.addr);
    if (vma !== null && vmaMigratable(vma)) {
      const pfn = followAnonPage(k, vma, pp.addr, FOLL_SPLIT);
      err = -ENOENT;
      if (pfn >= 0) {
        pp.page = pfn;
        err = p.nid[pfn];
        if (err !== pp.node) {
          if (pageMapcount(p, pfn) > 1 && !migrateAll) err = -EACCES;
          else {
            err = isolateLruPage(k, pfn);
            if (err === 0) {
              list.push(pfn);
              modNodeState(k, p.nid[pfn], NR_ISOLATED_ANON, 1);
            }
          }
        }
      }
    }
    pp.status = err;
  }
  if (list.length === 0) return 0;
  // new_page_node: the target of a page is the node asked for it, on that node only.
  const newPageNode = (old: number): number => {
    const pp = pm.find((e) => e.page === old);
    if (pp === undefined) return -1;
    return k.pageAlloc.allocPages(k, GFP_HIGHUSER_MOVABLE | GFP_THISNODE, 0, pp.node, null);
  };
  const r = migratePagesHooked(k, list, newPageNode, MIGRATE_SYNC, MR_SYSCALL, (old, rc, newPfn) => {
    const pp = pm.find((e) => e.page === old);
    if (pp !== undefined) pp.status = rc !== 0 ? rc : p.nid[newPfn];
  });
  const err = r.error < 0 ? r.error : r.failed + r.retry;
  if (err !== 0) putbackLruPages(k, list);
  return err;
}

/** mm/migrate.c: do_pages_move: validate each chunk's nodes, move it, and report per-page status. */
function doPagesMove(k: Kernel, mm: MmStruct, taskNodes: Nodemask, pages: readonly number[], nodes: readonly number[], status: number[], flags: number): number {
  const online = nodeStatesMemory(k);
  for (let start = 0; start < pages.length; start += MOVE_PAGES_CHUNK) {
    const n = Math.min(MOVE_PAGES_CHUNK, pages.length - start);
    const pm: PageToNode[] = [];
    for (let j = 0; j < n; j++) {
      const addr = pages[start + j];
      const node = nodes[start + j];
      if (addr === undefined || node === undefined) return -EFAULT;
      if (node < 0 || node >= MAX_NUMNODES || !nodeIsSet(online, node)) return -ENODEV;
      if (!nodeIsSet(taskNodes, node)) return -EACCES;
      pm.push({ addr, node, page: -1, status: 0 });
    }
    const err = doMovePageToNodeArray(k, mm, pm, (flags & MPOL_MF_MOVE_ALL) !== 0);
    if (err < 0) return err;
    for (let j = 0; j < n; j++) status[start + j] = pm[j].status;
  }
  return 0;
}

/** mm/migrate.c: do_pages_stat: the node of each page, -EFAULT outside any vma, -ENOENT when nothing is mapped. */
function doPagesStat(k: Kernel, mm: MmStruct, pages: readonly number[], status: number[]): number {
  for (let i = 0; i < pages.length; i++) {
    if (i % DO_PAGES_STAT_CHUNK_NR === 0) k.lock(mm.mmapSem, k.cost.lockNs, true);
    const addr = pages[i];
    const vma = vmaAt(k, mm, addr);
    let err = -EFAULT;
    if (vma !== null) {
      const pfn = followAnonPage(k, vma, addr, 0);
      err = pfn >= 0 ? k.pages.nid[pfn] : -ENOENT;
    }
    status[i] = err;
  }
  return 0;
}

/** mm/migrate.c: sys_move_pages */
export function sysMovePages(
  k: Kernel,
  caller: Task,
  pid: number,
  pages: readonly number[],
  nodes: readonly number[] | null,
  status: number[],
  flags: number,
): number {
  if (flags & ~(MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) return -EINVAL;
  if (flags & MPOL_MF_MOVE_ALL && !capable(caller, CAP_SYS_NICE)) return -EPERM;
  const task = findTaskByVpid(k.tasks, caller, pid);
  if (task === null) return -ESRCH;
  // Same uid for every simulated process: the permission check passes.
  const mm = task.mm;
  if (mm === null) return -EINVAL; // get_task_mm fails for kernel threads
  if (nodes !== null) return doPagesMove(k, mm, task.memsAllowed, pages, nodes, status, flags);
  return doPagesStat(k, mm, pages, status);
}

