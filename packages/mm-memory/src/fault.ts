/**
 * The user access path: the MMU's page walk done in software (with the accessed/dirty updates the
 * hardware makes), the memory cost of each touch, and arch/x86/mm/fault.c's __do_page_fault when
 * the walk finds no usable entry.
 *
 * This is the simulator's hot loop: typed-array references are hoisted and re-read only after a
 * fault (which may grow the page-table arrays); counters are kept in locals and written back.
 */
import {
  EFAULT,
  ENOMEM,
  FAULT_FLAG_ALLOW_RETRY,
  FAULT_FLAG_USER,
  FAULT_FLAG_WRITE,
  PAGE_SIZE,
  PMD_SIZE,
  PTRS_PER_PTE,
  TOUCH_STREAM,
  USER_BASE,
  USER_SPAN,
  VM_EXEC,
  VM_FAULT_OOM,
  VM_FAULT_ERROR,
  VM_FAULT_SIGSEGV,
  VM_READ,
  VM_WRITE,
  SYS_FAULTS,
  SYS_HINTING_FAULTS,
  type Kernel,
  type MemoryStats,
  type MmStruct,
  type Task,
} from "@balancenuma/include-linux";
import { _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_PRESENT, _PAGE_PSE, _PAGE_RW, _PAGE_USER } from "@balancenuma/arch-x86-pgtable";
import { handleMmFault } from "./memory.js";
import { findVma, lockBegin, lockEnd } from "./mmap.js";

/** A touch that still finds no usable entry after this many faults is a model bug. */
const MAX_FAULT_RETRIES = 16;

/**
 * arch/x86/mm/fault.c: __do_page_fault for a user access: find the vma, reject accesses it does
 * not allow (access_error: a PROT_NONE vma allows nothing), then handle_mm_fault under mmap_sem
 * for read. Returns VM_FAULT_* bits (VM_FAULT_SIGSEGV for a bad access).
 */
export function doPageFault(k: Kernel, st: MemoryStats, mm: MmStruct, addr: number, write: boolean): number {
  const t0 = lockBegin(k);
  const outer = k.sysPath;
  k.sysPath = SYS_FAULTS;
  k.charge(k.cost.faultEntryNs);
  let ret: number;
  const vma = findVma(mm, addr);
  if (!vma || addr < vma.start) ret = VM_FAULT_SIGSEGV;
  else if (write ? !(vma.flags & VM_WRITE) : !(vma.flags & (VM_READ | VM_WRITE | VM_EXEC))) ret = VM_FAULT_SIGSEGV;
  else ret = handleMmFault(k, st, mm, vma, addr, FAULT_FLAG_USER | FAULT_FLAG_ALLOW_RETRY | (write ? FAULT_FLAG_WRITE : 0));
  // The entry was charged before the fault turned out to be a NUMA hinting fault: it is part of one.
  if (k.sysPath === SYS_HINTING_FAULTS) k.reattribute(k.cost.faultEntryNs, SYS_FAULTS, SYS_HINTING_FAULTS);
  lockEnd(k, mm.mmapSem, t0, true);
  k.sysPath = outer;
  return ret;
}

/**
 * UserApi.touch / touchList: `count` touches at addrs[from..to) (or base + i*stride when addrs is
 * null). Each touch walks the page table; a missing or insufficient entry faults and the touch is
 * retried. Cost per touch: bytes x ns-per-byte (TOUCH_STREAM) or one miss latency, from the
 * current CPU's node to the page's node; it is user time, advances the CPU clock and is recorded
 * in the memory bus's busy time. Stops once the CPU clock has moved budgetNs. Returns the touches
 * done, or -EFAULT (SIGSEGV/SIGBUS) / -ENOMEM (OOM) if a fault failed.
 */
export function userAccess(
  k: Kernel,
  st: MemoryStats,
  task: Task,
  addrs: Float64Array | null,
  base: number,
  stride: number,
  from: number,
  to: number,
  bytes: number,
  write: boolean,
  kind: number,
  budgetNs: number,
): number {
  const mm = task.mm;
  if (!mm) return -EFAULT;
  const pt = mm.pgtable;
  const cpu = k.cpus[k.currentCpu];
  const bus = k.bus;
  const n = bus.nodes;
  const row = cpu.node * n;
  const cpuNode = cpu.node;
  const nid = k.pages.nid;
  const busy = bus.busyNs;
  const costArr = kind === TOUCH_STREAM ? bus.nsPerByte : bus.latencyNs;
  const mult = kind === TOUCH_STREAM ? bytes : 1;
  const need = _PAGE_PRESENT | _PAGE_USER | (write ? _PAGE_RW : 0);
  const mark = _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
  let pmdF = pt.pmdFlags;
  let pmdV = pt.pmdVal;
  let pteF = pt.pteFlags;
  let pteP = pt.ptePfn;
  const start = cpu.clock;
  let clock = start;
  let utime = 0;
  let localT = 0;
  let remoteT = 0;
  let retries = 0;
  let i = from;
  let result = 0;
  while (i < to) {
    if (clock - start >= budgetNs) break;
    const addr = addrs === null ? base + (i - from) * stride : addrs[i];
    const off = addr - USER_BASE;
    let pfn = -1;
    if (off >= 0 && off < USER_SPAN) {
      const pmd = (off / PMD_SIZE) | 0;
      if (pmd < pmdF.length) {
        const f = pmdF[pmd];
        if ((f & need) === need) {
          const pi = (off / PAGE_SIZE) & (PTRS_PER_PTE - 1);
          if (f & _PAGE_PSE) {
            pfn = pmdV[pmd] + pi;
            if ((f & mark) !== mark) pmdF[pmd] = f | mark;
          } else {
            const j = pmdV[pmd] * PTRS_PER_PTE + pi;
            const e = pteF[j];
            if ((e & need) === need) {
              pfn = pteP[j];
              if ((e & mark) !== mark) pteF[j] = e | mark;
            }
          }
        }
      }
    }
    if (pfn < 0) {
      // Page fault: hand the clock to the kernel, then re-read everything it may have replaced.
      cpu.clock = clock;
      task.utimeNs += utime;
      utime = 0;
      if (++retries > MAX_FAULT_RETRIES)
        throw new Error(`user access at 0x${addr.toString(16)} still faults after ${MAX_FAULT_RETRIES} faults`);
      const ret = doPageFault(k, st, mm, addr, write);
      clock = cpu.clock;
      if (ret & VM_FAULT_ERROR) {
        result = ret & VM_FAULT_OOM ? -ENOMEM : -EFAULT;
        break;
      }
      pmdF = pt.pmdFlags;
      pmdV = pt.pmdVal;
      pteF = pt.pteFlags;
      pteP = pt.ptePfn;
      continue;
    }
    retries = 0;
    const memNode = nid[pfn];
    const idx = row + memNode;
    const cost = mult * costArr[idx];
    busy[idx] += cost;
    clock += cost;
    utime += cost;
    if (memNode === cpuNode) localT++;
    else remoteT++;
    i++;
  }
  cpu.clock = clock;
  task.utimeNs += utime;
  task.localTouches += localT;
  task.remoteTouches += remoteT;
  task.localBytes += localT * bytes;
  task.remoteBytes += remoteT * bytes;
  return result < 0 ? result : i - from;
}
