/** @balancenuma/mm-memory — page faults, the user access path, mmap/munmap/madvise, fork, gup. */
import type { Kernel, MemoryOps, MemoryStats, MmStruct, Task, Vma } from "@balancenuma/include-linux";
import { followPage, getUserPage, handleMmFault, newMemoryStats } from "./memory.js";
import { exitMmap, findVma, mergeVmas, mmap, munmap, splitVma } from "./mmap.js";
import { madvise } from "./madvise.js";
import { dupMmap, mmAlloc } from "./fork.js";
import { userAccess } from "./fault.js";
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

/** The memory-management ops of one kernel instance (its counters and mm ids live here). */
class MemoryModel implements MemoryOps {
  readonly stats: MemoryStats = newMemoryStats();
  private nextMmId = 1;

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

  mmap(k: Kernel, mm: MmStruct, addr: number, length: number, prot: number, flags: number): number {
    return mmap(k, this.stats, mm, addr, length, prot, flags);
  }

  munmap(k: Kernel, mm: MmStruct, addr: number, length: number): number {
    return munmap(k, mm, addr, length);
  }

  madvise(k: Kernel, mm: MmStruct, addr: number, length: number, advice: number): number {
    return madvise(k, mm, addr, length, advice);
  }

  dupMm(k: Kernel, old: MmStruct, ownerTgid: number): MmStruct {
    return dupMmap(k, this.stats, old, this.nextMmId++, ownerTgid);
  }

  exitMmap(k: Kernel, mm: MmStruct): void {
    exitMmap(k, mm);
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
