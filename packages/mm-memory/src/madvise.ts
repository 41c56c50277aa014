/** mm/madvise.c: sys_madvise for the advice the model acts on. */
import {
  EINVAL,
  ENOMEM,
  MADV_DONTNEED,
  MADV_HUGEPAGE,
  MADV_NOHUGEPAGE,
  PAGE_SIZE,
  VM_HUGEPAGE,
  VM_HUGETLB,
  VM_LOCKED,
  VM_NOHUGEPAGE,
  VM_PFNMAP,
  VM_SHARED,
  type Kernel,
  type MmStruct,
  type Vma,
} from "@balancenuma/include-linux";
import { zapPageRange } from "./memory.js";
import { findVma, findVmaIndex, lockBegin, lockEnd, mergeVmas, splitVma } from "./mmap.js";

/** VM_NO_THP (include/linux/huge_mm.h): VM_SPECIAL | VM_MIXEDMAP | VM_HUGETLB | VM_SHARED | VM_MAYSHARE; the model has these. */
const VM_NO_THP = VM_PFNMAP | VM_HUGETLB | VM_SHARED;

/** madvise_behavior_valid: the advice values a 3.7 kernel with THP accepts. */
function behaviorValid(advice: number): boolean {
  return (advice >= 0 && advice <= 4) || (advice >= 9 && advice <= 17) || advice === 100 || advice === 101;
}

/**
 * mm/huge_memory.c: hugepage_madvise: the new flags, or -EINVAL when the flag is already set
 * ("somewhat over-protective like KSM", 3.7) or the vma cannot have THP.
 */
function hugepageMadvise(flags: number, advice: number): number {
  if (advice === MADV_HUGEPAGE) {
    if (flags & (VM_HUGEPAGE | VM_NO_THP)) return -EINVAL;
    return (flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
  }
  if (flags & (VM_NOHUGEPAGE | VM_NO_THP)) return -EINVAL;
  return (flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
}

/** mm/madvise.c: madvise_behavior for the THP advice: split at the range edges, set the flags, re-merge. */
function madviseBehavior(k: Kernel, vma: Vma, start: number, end: number, advice: number): number {
  const nf = hugepageMadvise(vma.flags, advice);
  if (nf < 0) return nf;
  if (nf === vma.flags) return 0;
  let v = vma;
  if (start > v.start) v = splitVma(k, v, start);
  if (end < v.end) splitVma(k, v, end);
  v.flags = nf;
  mergeVmas(k, v.mm, v.start, v.end);
  return 0;
}

/** mm/madvise.c: sys_madvise. Returns 0 or -errno (-ENOMEM if part of the range was unmapped). */
export function madvise(k: Kernel, mm: MmStruct, start: number, lenIn: number, advice: number): number {
  if (!behaviorValid(advice)) return -EINVAL;
  if (start % PAGE_SIZE !== 0 || !(lenIn >= 0)) return -EINVAL;
  const len = Math.ceil(lenIn / PAGE_SIZE) * PAGE_SIZE;
  const end = start + len;
  if (end === start) return 0;
  const acts = advice === MADV_HUGEPAGE || advice === MADV_NOHUGEPAGE || advice === MADV_DONTNEED;
  const write = advice === MADV_HUGEPAGE || advice === MADV_NOHUGEPAGE;
  const t0 = lockBegin(k);
  let unmappedError = 0;
  let error = 0;
  let addr = start;
  for (;;) {
    const vma = findVma(mm, addr);
    if (!vma) {
      error = -ENOMEM;
      break;
    }
    if (addr < vma.start) {
      unmappedError = -ENOMEM;
      addr = vma.start;
      if (addr >= end) break;
    }
    const tmp = Math.min(vma.end, end);
    if (acts) {
      if (advice === MADV_DONTNEED) {
        if (vma.flags & (VM_LOCKED | VM_HUGETLB | VM_PFNMAP)) {
          error = -EINVAL;
          break;
        }
        zapPageRange(k, vma, addr, tmp);
      } else {
        error = madviseBehavior(k, vma, addr, tmp, advice);
        if (error) break;
      }
    }
    addr = tmp;
    if (addr >= end) break;
    // Continue with the vma now covering addr (merges may have changed the list).
    if (findVmaIndex(mm, addr) >= mm.vmas.length) {
      error = -ENOMEM;
      break;
    }
  }
  lockEnd(k, mm.mmapSem, t0, !write);
  return error || unmappedError;
}
