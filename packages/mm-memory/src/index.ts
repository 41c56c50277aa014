/** @balancenuma/mm-memory — page faults, the user access path, mmap/munmap/madvise, fork, gup. */
import {
  EINVAL,
  PAGE_SIZE,
  type Kernel,
  type MemoryOps,
  type MemoryStats,
  type MmStruct,
  type ShmemObject,
  type Task,
  type Vma,
} from "@balancenuma/include-linux";
import { followPage, getUserPage, handleMmFault, newMemoryStats } from "./memory.js";
import { exitMmap, findVma, mergeVmas, mmap, munmap, splitVma } from "./mmap.js";
import { madvise } from "./madvise.js";
import { dupMmap, mmAlloc } from "./fork.js";
import { userAccess } from "./fault.js";
import { accessUser } from "./uaccess.js";
import { ShmemObjects, shmemVmaGone } from "./shmem.js";
import { Tmpfs } from "./tmpfs.js";
import { ptepClearFlush } from "./pgtable-generic.js";

export {
  newMemoryStats,
  handleMmFault,
  handlePteFault,
  doAnonymousPage,
  doWpPage,
  zapPageRange,
  freePgtables,
  copyPageRange,
  followPage,
  getUserPage,
  __pteAlloc,
} from "./memory.js";
export { TASK_SIZE, MAX_MAP_COUNT, findVma, splitVma, mergeVmas, getUnmappedArea, mmap, doMunmap, munmap, exitMmap } from "./mmap.js";
export { madvise } from "./madvise.js";
export { mmAlloc, dupMmap } from "./fork.js";
export { doPageFault } from "./fault.js";
export { vmNormalPage, numaMigratePrep, doNumaPage, doPmdNumaPage } from "./numa.js";
export { genericPtepSetAccessFlags, ptepClearFlush } from "./pgtable-generic.js";
/** copy_from_user/copy_to_user access check: the user range mapped readable (writable), else -EFAULT. */
export { accessUser } from "./uaccess.js";
/** mm/shmem.c: shared anonymous memory (shmem_fault; the object's life with its mappings). */
export { ShmemObjects, shmemFault, shmemOffset, shmemVmaAdded, shmemVmaGone } from "./shmem.js";

/** The memory-management ops of one kernel instance (its counters and mm ids live here). */
class MemoryModel implements MemoryOps {
  readonly stats: MemoryStats = newMemoryStats();
  private nextMmId = 1;
  /** The kernel's shmem objects (shared anonymous memory). */
  private readonly shmem = new ShmemObjects();
  /** Its tmpfs files and the processes' file tables. */
  private readonly tmpfs = new Tmpfs(this.shmem);

  shmemById(id: number): ShmemObject {
    return this.shmem.get(id);
  }

  shmemZeroSetup(vma: Vma): void {
    this.shmem.zeroSetup(vma);
  }

  shmemVmaGone(k: Kernel, vma: Vma): void {
    shmemVmaGone(k, this.shmem, vma);
  }

  handleMmFault(k: Kernel, mm: MmStruct, vma: Vma, addr: number, flags: number): number {
    return handleMmFault(k, this.stats, mm, vma, addr, flags);
  }

  userTouch(k: Kernel, task: Task, addr: number, count: number, strideBytes: number, bytes: number, write: boolean, kind: number, budgetNs: number): number {
    return userAccess(k, this.stats, task, null, addr, strideBytes, 0, count, bytes, write, kind, budgetNs);
  }

  userTouchList(k: Kernel, task: Task, addrs: Float64Array, from: number, to: number, bytes: number, write: boolean, kind: number, budgetNs: number): number {
    return userAccess(k, this.stats, task, addrs, 0, 0, from, to, bytes, write, kind, budgetNs);
  }

  followPage(k: Kernel, vma: Vma, addr: number, foll: number): number {
    return followPage(k, vma, addr, foll);
  }

  accessUser(k: Kernel, mm: MmStruct, addr: number, bytes: number, write: boolean): number {
    return accessUser(k, this.stats, mm, addr, bytes, write);
  }

  getUserPage(k: Kernel, mm: MmStruct, addr: number, foll: number): number {
    return getUserPage(k, this.stats, mm, addr, foll, findVma(mm, addr));
  }

  findVma(mm: MmStruct, addr: number): Vma | null {
    return findVma(mm, addr);
  }

  ptepClearFlush(k: Kernel, vma: Vma, addr: number, ptep: number): number {
    return ptepClearFlush(k, vma, addr, ptep);
  }

  newMm(k: Kernel, owner: number): MmStruct {
    return mmAlloc(k, this.nextMmId++, owner);
  }

  /** sys_mmap: the offset must be page-aligned (-EINVAL) before the descriptor is looked up. */
  mmap(k: Kernel, mm: MmStruct, addr: number, length: number, prot: number, flags: number, fd = -1, offset = 0): number {
    if (offset % PAGE_SIZE !== 0) return -EINVAL;
    return mmap(k, this.stats, mm, addr, length, prot, flags, this.tmpfs.file(mm, fd), offset / PAGE_SIZE);
  }

  open(k: Kernel, mm: MmStruct, path: string, flags: number): number {
    return this.tmpfs.open(k, mm, path, flags);
  }

  close(k: Kernel, mm: MmStruct, fd: number): number {
    return this.tmpfs.close(k, mm, fd);
  }

  unlink(k: Kernel, path: string): number {
    return this.tmpfs.unlink(k, path);
  }

  ftruncate(k: Kernel, mm: MmStruct, fd: number, length: number): number {
    return this.tmpfs.ftruncate(k, mm, fd, length);
  }

  munmap(k: Kernel, mm: MmStruct, addr: number, length: number): number {
    return munmap(k, mm, addr, length);
  }

  madvise(k: Kernel, mm: MmStruct, addr: number, length: number, advice: number): number {
    return madvise(k, mm, addr, length, advice);
  }

  dupMm(k: Kernel, old: MmStruct, ownerTgid: number): MmStruct {
    const mm = dupMmap(k, this.stats, old, this.nextMmId++, ownerTgid);
    this.tmpfs.dupFiles(old, mm);
    return mm;
  }

  exitMmap(k: Kernel, mm: MmStruct): void {
    exitMmap(k, mm);
    this.tmpfs.exitFiles(k, mm);
  }

  splitVma(k: Kernel, vma: Vma, addr: number): Vma {
    return splitVma(k, vma, addr);
  }

  mergeVmas(k: Kernel, mm: MmStruct, start: number, end: number): void {
    mergeVmas(k, mm, start, end);
  }
}

/** The MemoryOps of a new kernel instance. */
export function createMemoryOps(): MemoryOps {
  return new MemoryModel();
}
