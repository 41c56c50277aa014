/**
 * mm/mmap.c: the vma list (find_vma, split_vma, vma_merge), mmap and munmap of private anonymous
 * memory, exit_mmap. VMAs are kept in mm.vmas sorted by start.
 */
import {
  EACCES,
  EBADF,
  PROT_WRITE,
  EINVAL,
  ENOMEM,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_POPULATE,
  MAP_PRIVATE,
  MAP_SHARED,
  PAGE_SIZE,
  PMD_SIZE,
  FAULT_FLAG_WRITE,
  USER_BASE,
  USER_SPAN,
  VM_MAYEXEC,
  VM_SHARED,
  VM_MAYREAD,
  VM_MAYWRITE,
  VM_READ,
  VM_WRITE,
  VM_FAULT_ERROR,
  linearPage,
  type Kernel,
  type MemoryStats,
  type MmStruct,
  type ShmemFile,
  type SimLock,
  type Vma,
  mpolEqual,
  calcVmProtBits,
} from "@balancenuma/include-linux";
import { pmdTransHuge } from "@balancenuma/arch-x86-pgtable";
import { freePgtables, freePteTable, handleMmFault, zapPageRange } from "./memory.js";
import { shmemMapObject, shmemVmaAdded } from "./shmem.js";

/** TASK_SIZE: the top of the user address space (x86-64: 2^47 - one page). */
export const TASK_SIZE = USER_BASE + USER_SPAN - PAGE_SIZE;
/** sysctl_max_map_count's default (DEFAULT_MAX_MAP_COUNT). */
export const MAX_MAP_COUNT = 65530;

const pageAlign = (len: number): number => Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;

/**
 * Start of a section run under a lock whose hold time is the work done (mmap_sem): note the time.
 * lockEnd then takes the lock retroactively for the elapsed time and charges any wait.
 */
export const lockBegin = (k: Kernel): number => k.now();

/** End of a lockBegin section: acquire `l` for the time elapsed since t0, charging wait + lock cost. */
export function lockEnd(k: Kernel, l: SimLock, t0: number, shared: boolean): void {
  const wait = l.acquire(t0, k.now() - t0, shared);
  if (wait > 0 && l.kind === "rwsem") {
    // An rwsem waiter sleeps: the wait passes as elapsed time, plus a context switch.
    k.cpus[k.currentCpu].clock += wait;
    k.chargeWait(k.cost.lockSleepNs, k.cost.lockSleepNs, l);
  } else k.chargeWait(wait + k.cost.lockNs, wait, l);
}

/** Index of the first vma with end > addr, or mm.vmas.length. */
export function findVmaIndex(mm: MmStruct, addr: number): number {
  const v = mm.vmas;
  let lo = 0;
  let hi = v.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v[mid].end > addr) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** mm/mmap.c: find_vma: the first vma ending above addr (it may start above addr: check vm_start). */
export function findVma(mm: MmStruct, addr: number): Vma | null {
  const i = findVmaIndex(mm, addr);
  return i < mm.vmas.length ? mm.vmas[i] : null;
}

/** can_vma_merge_after/before, simplified: adjacent, same flags and policy, contiguous pgoff, compatible anon_vma. */
function canMerge(a: Vma, b: Vma): boolean {
  return (
    a.end === b.start &&
    a.flags === b.flags &&
    b.pgoff === a.pgoff + (a.end - a.start) / PAGE_SIZE &&
    (a.anonVma === b.anonVma || a.anonVma === null || b.anonVma === null) &&
    a.shm === b.shm &&
    mpolEqual(a.policy, b.policy)
  );
}

/**
 * mm/mmap.c: vma_merge, simplified: merge every compatible adjacent pair touching [start, end).
 * The vma object that has an anon_vma survives (so no anon_vma chain needs cloning).
 */
export function mergeVmas(k: Kernel, mm: MmStruct, start: number, end: number): void {
  const v = mm.vmas;
  let i = Math.max(0, findVmaIndex(mm, start) - 1);
  while (i + 1 < v.length && v[i].start <= end) {
    const a = v[i];
    const b = v[i + 1];
    if (!canMerge(a, b)) {
      i++;
      continue;
    }
    if (a.anonVma === null && b.anonVma !== null) {
      b.start = a.start;
      b.pgoff = a.pgoff;
      v.splice(i, 1);
      if (a.shm) k.memory.shmemVmaGone(k, a); // the object stays: b maps it
    } else {
      a.end = b.end;
      v.splice(i + 1, 1);
      if (b.anonVma !== null) k.rmap.unlinkAnonVmas(k, b);
      if (b.shm) k.memory.shmemVmaGone(k, b);
    }
  }
}

/** mm/mmap.c: split_vma: cut vma at addr; returns the new upper part (inserted after it). */
export function splitVma(k: Kernel, vma: Vma, addr: number): Vma {
  if (!(addr > vma.start && addr < vma.end) || addr % PAGE_SIZE !== 0)
    throw new Error(`split_vma: 0x${addr.toString(16)} is not inside [0x${vma.start.toString(16)}, 0x${vma.end.toString(16)})`);
  const mm = vma.mm;
  // vma_adjust_trans_huge: a huge pmd may not straddle two vmas.
  if (addr % PMD_SIZE !== 0) k.hugeMemory.splitHugePagePmd(k, vma, Math.floor((addr - USER_BASE) / PMD_SIZE));
  const upper: Vma = {
    mm,
    start: addr,
    end: vma.end,
    flags: vma.flags,
    pgoff: vma.pgoff + (addr - vma.start) / PAGE_SIZE,
    anonVma: vma.anonVma,
    policy: vma.policy ? k.mempolicy.dupPolicy(vma.policy) : null,
    ...(vma.shm ? { shm: vma.shm } : {}),
  };
  shmemVmaAdded(upper);
  // anon_vma_clone: the upper part shares the anon_vma; mm-rmap finds split vmas through the mm.
  vma.end = addr;
  mm.vmas.splice(mm.vmas.indexOf(vma) + 1, 0, upper);
  return upper;
}

/**
 * mm/mmap.c: arch_get_unmapped_area (legacy bottom-up layout): MAP_FIXED takes addr as is, a free
 * hint is honoured, else first fit from USER_BASE. The model aligns lengths of 2 MiB or more to
 * 2 MiB so that THP can back them (3.7 itself does not align anonymous mappings).
 */
export function getUnmappedArea(mm: MmStruct, addr: number, len: number, flags: number): number {
  if (flags & MAP_FIXED) {
    if (addr % PAGE_SIZE !== 0) return -EINVAL;
    if (addr < USER_BASE || addr + len > TASK_SIZE) return -ENOMEM;
    return addr;
  }
  if (len > TASK_SIZE - USER_BASE) return -ENOMEM;
  if (addr) {
    const a = pageAlign(addr);
    if (a >= USER_BASE && a + len <= TASK_SIZE) {
      const v = findVma(mm, a);
      if (!v || a + len <= v.start) return a;
    }
  }
  const align = len >= PMD_SIZE ? PMD_SIZE : PAGE_SIZE;
  const up = (x: number): number => USER_BASE + Math.ceil((x - USER_BASE) / align) * align;
  let cand = USER_BASE;
  for (const v of mm.vmas) {
    cand = up(cand);
    if (cand + len <= v.start) return cand;
    if (v.end > cand) cand = v.end;
  }
  cand = up(cand);
  return cand + len <= TASK_SIZE ? cand : -ENOMEM;
}

/**
 * mm/mmap.c: do_mmap_pgoff + mmap_region for anonymous mappings: private ones, and shared ones
 * (MAP_SHARED|MAP_ANONYMOUS), which map a new shmem object (shmem_zero_setup); and for tmpfs
 * files (`file`, from page offset `pgoff`; ignored with MAP_ANONYMOUS). Both or neither of
 * MAP_SHARED and MAP_PRIVATE is -EINVAL. A mapping without MAP_ANONYMOUS needs a file: -EBADF.
 * A file must be open for reading, and for writing to be mapped shared and writable (-EACCES);
 * a shared mapping of a read-only file can never be made writable, and is not VM_SHARED.
 */
export function mmap(
  k: Kernel,
  st: MemoryStats,
  mm: MmStruct,
  addr: number,
  length: number,
  prot: number,
  flags: number,
  file: ShmemFile | null = null,
  pgoff = 0,
): number {
  if (!(flags & MAP_ANONYMOUS) && file === null) return -EBADF;
  if (length === 0) return -EINVAL;
  const mapped = flags & MAP_ANONYMOUS ? null : file;
  const len = pageAlign(length);
  if (!(len > 0) || len > TASK_SIZE) return -ENOMEM;
  if (mm.vmas.length > MAX_MAP_COUNT) return -ENOMEM;
  const t0 = lockBegin(k);
  const a = getUnmappedArea(mm, addr, len, flags);
  if (a < 0) {
    lockEnd(k, mm.mmapSem, t0, false);
    return a;
  }
  const type = flags & (MAP_SHARED | MAP_PRIVATE);
  if (type !== MAP_PRIVATE && type !== MAP_SHARED) {
    lockEnd(k, mm.mmapSem, t0, false);
    return -EINVAL;
  }
  let vmFlags = calcVmProtBits(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | (type === MAP_SHARED ? VM_SHARED : 0);
  if (mapped) {
    const denied = (type === MAP_SHARED && prot & PROT_WRITE && !mapped.writable) || !mapped.readable;
    if (denied) {
      lockEnd(k, mm.mmapSem, t0, false);
      return -EACCES;
    }
    if (type === MAP_SHARED && !mapped.writable) vmFlags &= ~(VM_MAYWRITE | VM_SHARED);
  }
  if (flags & MAP_FIXED) doMunmap(k, mm, a, len);
  const vma: Vma = {
    mm,
    start: a,
    end: a + len,
    flags: vmFlags,
    pgoff: mapped ? pgoff : linearPage(a),
    anonVma: null,
    policy: null,
  };
  if (mapped) shmemMapObject(vma, mapped.obj);
  else if (type === MAP_SHARED) k.memory.shmemZeroSetup(vma);
  mm.vmas.splice(findVmaIndex(mm, a), 0, vma);
  mergeVmas(k, mm, a, a + len);
  mm.mmapNext = Math.max(mm.mmapNext, a + len);
  if (flags & MAP_POPULATE) populate(k, st, mm, a, a + len);
  lockEnd(k, mm.mmapSem, t0, false);
  return a;
}

/** mm/mlock.c: make_pages_present for MAP_POPULATE: fault every page in (write faults if writable). */
function populate(k: Kernel, st: MemoryStats, mm: MmStruct, start: number, end: number): void {
  for (let addr = start; addr < end; ) {
    const vma = findVma(mm, addr);
    if (!vma || vma.start >= end) return;
    if (addr < vma.start) addr = vma.start;
    if (vma.flags & (VM_READ | VM_WRITE)) {
      const outer = k.sysPath;
      const ret = handleMmFault(k, st, mm, vma, addr, vma.flags & VM_WRITE ? FAULT_FLAG_WRITE : 0);
      k.sysPath = outer;
      if (ret & VM_FAULT_ERROR) return;
      const pmd = Math.floor((addr - USER_BASE) / PMD_SIZE);
      if (pmdTransHuge(mm.pgtable.pmdFlags[pmd])) {
        addr = USER_BASE + (pmd + 1) * PMD_SIZE;
        continue;
      }
    }
    addr += PAGE_SIZE;
  }
}

/** mm/mmap.c: do_munmap: split the vmas at the edges, zap and drop those inside, free page tables. */
export function doMunmap(k: Kernel, mm: MmStruct, start: number, len: number): void {
  const end = start + len;
  let i = findVmaIndex(mm, start);
  if (i >= mm.vmas.length || mm.vmas[i].start >= end) return;
  if (mm.vmas[i].start < start) {
    splitVma(k, mm.vmas[i], start);
    i++;
  }
  let j = i;
  while (j + 1 < mm.vmas.length && mm.vmas[j + 1].start < end) j++;
  if (mm.vmas[j].end > end) splitVma(k, mm.vmas[j], end);
  // unmap_region while the vmas can still be found (a THP split walks the rmap through the mm).
  for (let x = i; x <= j; x++) zapPageRange(k, mm.vmas[x], mm.vmas[x].start, mm.vmas[x].end);
  const gone = mm.vmas.splice(i, j - i + 1);
  for (const v of gone) {
    if (v.anonVma) k.rmap.unlinkAnonVmas(k, v);
    if (v.shm) k.memory.shmemVmaGone(k, v);
  }
  freePgtables(k, mm, start, end, findVma);
}

/** mm/mmap.c: sys_munmap. */
export function munmap(k: Kernel, mm: MmStruct, start: number, length: number): number {
  if (start % PAGE_SIZE !== 0 || start > TASK_SIZE || !(length >= 0) || length > TASK_SIZE - start) return -EINVAL;
  const len = pageAlign(length);
  if (len === 0) return -EINVAL;
  const t0 = lockBegin(k);
  doMunmap(k, mm, start, len);
  lockEnd(k, mm.mmapSem, t0, false);
  return 0;
}

/** mm/mmap.c: exit_mmap: zap every vma, drop the anon_vma links and free all page tables. */
export function exitMmap(k: Kernel, mm: MmStruct): void {
  for (const v of mm.vmas) {
    zapPageRange(k, v, v.start, v.end);
    if (v.anonVma) k.rmap.unlinkAnonVmas(k, v);
    if (v.shm) k.memory.shmemVmaGone(k, v);
  }
  mm.vmas = [];
  const pt = mm.pgtable;
  for (let pmd = 0; pmd < pt.pmdCount; pmd++) if (pt.pmdFlags[pmd] !== 0) freePteTable(k, mm, pmd);
}
