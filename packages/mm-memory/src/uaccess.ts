/**
 * arch/x86/lib/usercopy: copy_from_user / copy_to_user as the kernel's own accesses to user
 * memory: access_ok (the range lies below TASK_SIZE), then each page is reached through the page
 * tables, a missing or read-only entry taking the page fault a user access would (so a read of
 * never-written memory maps the zero page, a write breaks COW); a fault that fails is -EFAULT.
 * A page the vma does not allow (PROT_NONE, or read-only for a write) faults even when its pte is
 * present, as a PROT_NONE pte is not present to the MMU.
 */
import { EFAULT, FOLL_NUMA, FOLL_WRITE, PAGE_SIZE, VM_FAULT_ERROR, type Kernel, type MemoryStats, type MmStruct } from "@balancenuma/include-linux";
import { accessError, doPageFault } from "./fault.js";
import { followPage } from "./memory.js";
import { TASK_SIZE, findVma } from "./mmap.js";

/** A page the kernel still cannot reach after this many faults is a model bug. */
const MAX_FAULTS = 8;

/** Copy `bytes` from (write: to) user address `addr` of mm. Returns 0 or -EFAULT. */
export function accessUser(k: Kernel, st: MemoryStats, mm: MmStruct, addr: number, bytes: number, write: boolean): number {
  if (bytes <= 0) return 0;
  if (!Number.isInteger(addr) || addr < 0 || addr + bytes > TASK_SIZE) return -EFAULT;
  const foll = FOLL_NUMA | (write ? FOLL_WRITE : 0);
  for (let page = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE; page < addr + bytes; page += PAGE_SIZE) {
    for (let faults = 0; ; faults++) {
      const vma = findVma(mm, page);
      if (vma !== null && vma.start <= page && !accessError(vma, write) && followPage(k, vma, page, foll) >= 0) break;
      if (faults === MAX_FAULTS) throw new Error(`uaccess at 0x${page.toString(16)} still faults after ${MAX_FAULTS} faults`);
      if (doPageFault(k, st, mm, page, write) & VM_FAULT_ERROR) return -EFAULT;
    }
  }
  k.charge(Math.ceil(bytes / 64) * k.cost.pteUpdateNs);
  return 0;
}
