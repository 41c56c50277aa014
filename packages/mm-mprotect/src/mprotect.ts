/** mm/mprotect.c: mprotect(2) (sys_mprotect, mprotect_fixup). */
import {
  EACCES,
  EINVAL,
  ENOMEM,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_GROWSDOWN,
  PROT_GROWSUP,
  PROT_READ,
  PROT_SEM,
  PROT_WRITE,
  VM_EXEC,
  VM_GROWSDOWN,
  VM_GROWSUP,
  VM_READ,
  VM_WRITE,
  type Kernel,
  type MmStruct,
  type Vma,
  calcVmProtBits,
} from "@balancenuma/include-linux";
import { changeProtection } from "./change-protection.js";

/** arch_validate_prot (the generic one x86 uses): only READ, WRITE, EXEC and SEM. */
export function archValidateProt(prot: number): boolean {
  return (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) === 0;
}

/**
 * mm/mprotect.c: mprotect_fixup: give [start,end) of vma the flags `newflags`: split the vma at the
 * range edges, set vm_flags, change the page tables, and merge with compatible neighbours. Nothing
 * happens (no page-table walk, no flush) when the flags do not change. Anonymous vmas never want
 * write-notify, so dirty_accountable is 0. Returns the end of the vma now covering `start`.
 */
export function mprotectFixup(k: Kernel, vma: Vma, start: number, end: number, newflags: number): number {
  const mm = vma.mm;
  if (newflags === vma.flags) return vma.end;
  if (start !== vma.start) vma = k.memory.splitVma(k, vma, start);
  if (end !== vma.end) k.memory.splitVma(k, vma, end);
  vma.flags = newflags;
  changeProtection(k, vma, start, end, newflags, false, false);
  k.memory.mergeVmas(k, mm, start, end);
  const now = k.memory.findVma(mm, start);
  return now !== null ? now.end : end;
}

/**
 * mm/mprotect.c: sys_mprotect, with 3.7's errno order: both GROWS flags or an unaligned start ->
 * EINVAL; len 0 -> 0; wrap-around -> ENOMEM; unknown prot bits -> EINVAL; nothing mapped at start or
 * a hole in the range -> ENOMEM (vmas before the hole keep their new protection); a protection the
 * vma may not take (VM_MAY* missing) -> EACCES.
 */
export function sysMprotect(k: Kernel, mm: MmStruct, startArg: number, len: number, protArg: number): number {
  const grows = protArg & (PROT_GROWSDOWN | PROT_GROWSUP);
  const prot = protArg & ~(PROT_GROWSDOWN | PROT_GROWSUP);
  let start = startArg;
  if (grows === (PROT_GROWSDOWN | PROT_GROWSUP)) return -EINVAL;
  if (start % PAGE_SIZE !== 0) return -EINVAL;
  if (!len) return 0;
  let end = start + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  if (end <= start || end >= 2 ** 64) return -ENOMEM;
  if (!archValidateProt(prot)) return -EINVAL;
  const vmFlags = calcVmProtBits(prot);

  k.lock(mm.mmapSem, k.cost.lockNs); // down_write(&mm->mmap_sem)
  let vma = k.memory.findVma(mm, start);
  if (vma === null) return -ENOMEM;
  if (grows & PROT_GROWSDOWN) {
    if (vma.start >= end) return -ENOMEM;
    start = vma.start;
    if (!(vma.flags & VM_GROWSDOWN)) return -EINVAL;
  } else {
    if (vma.start > start) return -ENOMEM;
    if (grows & PROT_GROWSUP) {
      end = vma.end;
      if (!(vma.flags & VM_GROWSUP)) return -EINVAL;
    }
  }
  for (let nstart = start; ; ) {
    const newflags = vmFlags | (vma.flags & ~(VM_READ | VM_WRITE | VM_EXEC));
    // VM_MAY* sit 4 bits above VM_*: asking for a right the mapping may never have is EACCES.
    if (newflags & ~(newflags >> 4) & (VM_READ | VM_WRITE | VM_EXEC)) return -EACCES;
    const tmp = Math.min(vma.end, end);
    const pieceEnd = mprotectFixup(k, vma, nstart, tmp, newflags);
    // A merge may have joined the piece with the next vma: continue after whatever now covers it.
    nstart = Math.max(tmp, pieceEnd);
    if (nstart >= end) return 0;
    const next = k.memory.findVma(mm, nstart);
    if (next === null || next.start !== nstart) return -ENOMEM;
    vma = next;
  }
}
