/**
 * move_pages(2) (Linux 3.7-rc6, mm/migrate.c: sys_move_pages, do_pages_move,
 * do_move_page_to_node_array, do_pages_stat). migrate_pages(2) is mm/mempolicy.c: mm-mempolicy.
 *
 * Credentials as 3.7 checks them: MPOL_MF_MOVE_ALL needs CAP_SYS_NICE, another process's memory a
 * matching uid or CAP_SYS_NICE. The pages, nodes and status arrays are the caller's user buffers,
 * read and written a chunk at a time; one the caller cannot read (write) is -EFAULT there.
 */
import {
  isUserPage,
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
  intArg,
  isUserBuf,
  mayMoveMemoryOf,
  ulongArg,
  type UserArg,
  pageToNid,
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
 * needs no reference): the ordinary page (anonymous or shmem) mapped at addr (vm_normal_page), or -1
 * when there is none, the entry is not a present page (a migration entry), or it is the zero page.
 */
function followUserPage(k: Kernel, vma: Vma, addr: number, foll: number): number {
  const pfn = k.memory.followPage(k, vma, addr, foll);
  return pfn >= 0 && isUserPage(k.pages, pfn) ? pfn : -1;
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
      const pfn = followUserPage(k, vma, pp.addr, FOLL_SPLIT);
      err = -ENOENT;
      if (pfn >= 0) {
        pp.page = pfn;
        err = pageToNid(p, pfn);
        if (err !== pp.node) {
          if (pageMapcount(p, pfn) > 1 && !migrateAll) err = -EACCES;
          else {
            err = isolateLruPage(k, pfn);
            if (err === 0) {
              list.push(pfn);
              modNodeState(k, pageToNid(p, pfn), NR_ISOLATED_ANON, 1);
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
    if (pp !== undefined) pp.status = rc !== 0 ? rc : pageToNid(p, newPfn);
  });
  const err = r.error < 0 ? r.error : r.failed + r.retry;
  if (err !== 0) putbackLruPages(k, list);
  return err;
}

/** A move_pages array argument: its elements and, for a UserBuf, the caller's address of element 0. */
interface UserArray {
  items: readonly unknown[];
  addr: number | null;
}

/** The array behind a move_pages buffer argument, or null when it is not one (-EFAULT). */
function userArray(arg: unknown): UserArray | null {
  if (isUserBuf(arg)) return Array.isArray(arg.value) ? { items: arg.value, addr: arg.addr } : null;
  return Array.isArray(arg) ? { items: arg, addr: null } : null;
}

/** copy_from_user / copy_to_user of elements [from, from + n) of `a` (each `size` bytes) in the caller's memory. */
function copyUser(k: Kernel, caller: Task, a: UserArray, from: number, n: number, size: number, write: boolean): number {
  if (a.addr === null) return 0;
  if (caller.mm === null) return -EFAULT;
  return k.memory.accessUser(k, caller.mm, a.addr + from * size, n * size, write);
}

/** get_user of element i: a pointer (unsigned long) or an int, or null when the element is no such value (-EFAULT). */
const getPointer = (a: UserArray, i: number): number | null => ulongArg(a.items[i]);
const getInt = (a: UserArray, i: number): number | null => intArg(a.items[i]);

/** Store the chunk's statuses in a writable status array. */
function putStatus(status: UserArray, from: number, values: readonly number[]): void {
  const out = status.items as number[];
  for (let j = 0; j < values.length; j++) out[from + j] = values[j];
}

/** mm/migrate.c: do_pages_move: validate each chunk's nodes, move it, and report per-page status. */
function doPagesMove(k: Kernel, caller: Task, mm: MmStruct, taskNodes: Nodemask, pages: UserArray, nodes: UserArray, status: UserArray, flags: number): number {
  const online = nodeStatesMemory(k);
  const nr = pages.items.length;
  for (let start = 0; start < nr; start += MOVE_PAGES_CHUNK) {
    const n = Math.min(MOVE_PAGES_CHUNK, nr - start);
    if (copyUser(k, caller, pages, start, n, 8, false) || copyUser(k, caller, nodes, start, n, 4, false)) return -EFAULT;
    const pm: PageToNode[] = [];
    for (let j = 0; j < n; j++) {
      const addr = getPointer(pages, start + j);
      const node = getInt(nodes, start + j);
      if (addr === null || node === null) return -EFAULT;
      if (node < 0 || node >= MAX_NUMNODES || !nodeIsSet(online, node)) return -ENODEV;
      if (!nodeIsSet(taskNodes, node)) return -EACCES;
      pm.push({ addr, node, page: -1, status: 0 });
    }
    const err = doMovePageToNodeArray(k, mm, pm, (flags & MPOL_MF_MOVE_ALL) !== 0);
    if (err < 0) return err;
    if (copyUser(k, caller, status, start, n, 4, true)) return -EFAULT;
    putStatus(
      status,
      start,
      pm.map((e) => e.status),
    );
  }
  return 0;
}

/** mm/migrate.c: do_pages_stat: the node of each page, -EFAULT outside any vma, -ENOENT when nothing (or the zero page) is mapped. */
function doPagesStat(k: Kernel, caller: Task, mm: MmStruct, pages: UserArray, status: UserArray): number {
  const nr = pages.items.length;
  for (let start = 0; start < nr; start += DO_PAGES_STAT_CHUNK_NR) {
    const n = Math.min(DO_PAGES_STAT_CHUNK_NR, nr - start);
    if (copyUser(k, caller, pages, start, n, 8, false)) return -EFAULT;
    const chunk: number[] = [];
    for (let j = 0; j < n; j++) {
      const addr = getPointer(pages, start + j);
      if (addr === null) return -EFAULT;
      chunk.push(addr);
    }
    k.lock(mm.mmapSem, k.cost.lockNs, true);
    const out = chunk.map((addr) => {
      const vma = vmaAt(k, mm, addr);
      if (vma === null) return -EFAULT;
      const pfn = followUserPage(k, vma, addr, 0);
      return pfn >= 0 ? pageToNid(k.pages, pfn) : -ENOENT;
    });
    if (copyUser(k, caller, status, start, n, 4, true)) return -EFAULT;
    putStatus(status, start, out);
  }
  return 0;
}

/** mm/migrate.c: sys_move_pages */
export function sysMovePages(
  k: Kernel,
  caller: Task,
  pid: number,
  pagesArg: UserArg<readonly number[]>,
  nodesArg: UserArg<readonly number[]> | null,
  statusArg: UserArg<number[]>,
  flags: number,
): number {
  if (flags & ~(MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) return -EINVAL;
  if (flags & MPOL_MF_MOVE_ALL && !capable(caller, CAP_SYS_NICE)) return -EPERM;
  const task = findTaskByVpid(k.tasks, caller, pid);
  if (task === null) return -ESRCH;
  if (!mayMoveMemoryOf(caller, task)) return -EPERM;
  const mm = task.mm;
  if (mm === null) return -EINVAL; // get_task_mm fails for kernel threads
  const pages = userArray(pagesArg);
  const status = userArray(statusArg);
  if (pages === null || status === null) return -EFAULT;
  if (nodesArg !== null && nodesArg !== undefined) {
    const nodes = userArray(nodesArg);
    if (nodes === null) return -EFAULT;
    return doPagesMove(k, caller, mm, task.memsAllowed, pages, nodes, status, flags);
  }
  return doPagesStat(k, caller, mm, pages, status);
}
