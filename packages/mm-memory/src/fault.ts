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
  NID_BLOCK_SHIFT,
  SYS_FAULTS,
  SYS_HINTING_FAULTS,
  type Kernel,
  type MemoryStats,
  type MmStruct,
  type Task,
  type Vma,
} from "@balancenuma/include-linux";
import { _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_PRESENT, _PAGE_PSE, _PAGE_RW, _PAGE_USER } from "@balancenuma/arch-x86-pgtable";
import { handleMmFault } from "./memory.js";
import { findVma, lockBegin, lockEnd } from "./mmap.js";
import { chargeRepeated, RUN_BUDGET, RUN_CLOCK, RUN_COST, RUN_START } from "./repeated-sum.js";

/** A touch that still finds no usable entry after this many faults is a model bug. */
const MAX_FAULT_RETRIES = 16;

/** arch/x86/mm/fault.c: access_error: the vma does not allow this access (a PROT_NONE vma allows nothing). */
export const accessError = (vma: Vma, write: boolean): boolean => (write ? !(vma.flags & VM_WRITE) : !(vma.flags & (VM_READ | VM_WRITE | VM_EXEC)));

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
  else if (accessError(vma, write)) ret = VM_FAULT_SIGSEGV;
  else ret = handleMmFault(k, st, mm, vma, addr, FAULT_FLAG_USER | FAULT_FLAG_ALLOW_RETRY | (write ? FAULT_FLAG_WRITE : 0));
  // The entry was charged before the fault turned out to be a NUMA hinting fault: it is part of one.
  if (k.sysPath === SYS_HINTING_FAULTS) k.reattribute(k.cost.faultEntryNs, SYS_FAULTS, SYS_HINTING_FAULTS);
  lockEnd(k, mm.mmapSem, t0, true);
  k.sysPath = outer;
  return ret;
}

/**
 * The doubles a bulk charge reads and writes (clock, start, budget, cost), handed over in a
 * typed array: a double passed to or returned from a call V8 does not inline is boxed on the heap,
 * and this path runs once per slice.
 */
const charge = new Float64Array(4);

/** Runs of quiet touches shorter than this are charged touch by touch (the closed form costs more). */
const BULK_MIN = 8;

/**
 * UserApi.touch / touchList: `count` touches at addrs[from..to) (or base + i*stride when addrs is
 * null). Each touch walks the page table; a missing or insufficient entry faults and the touch is
 * retried. Cost per touch: bytes x ns-per-byte (TOUCH_STREAM) or one miss latency, from the
 * current CPU's node to the page's node; it is user time, advances the CPU clock and is recorded
 * in the memory bus's busy time. Stops once the CPU clock has moved budgetNs. Returns the touches
 * done, or -EFAULT (SIGSEGV/SIGBUS) / -ENOMEM (OOM) if a fault failed.
 *
 * Bulk charging (unless the kernel was booted with the per-page touch path): most touches find a
 * quiet entry, present with every bit the access needs and would set (accessed, dirty) already
 * set, so the walk changes nothing and only the cost counts. A run of such touches on pages of one
 * node costs the same for each touch; it is charged in one go with the exact doubles the per-touch
 * additions give (repeated-sum.ts), stopping where the per-touch budget check would. Everything
 * else (a fault, an entry to mark, another node) takes the per-touch path.
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
  const blockNid = k.pages.blockNid;
  const busy = bus.busyNs;
  const costArr = kind === TOUCH_STREAM ? bus.nsPerByte : bus.latencyNs;
  const mult = kind === TOUCH_STREAM ? bytes : 1;
  const need = _PAGE_PRESENT | _PAGE_USER | (write ? _PAGE_RW : 0);
  const mark = _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
  const quiet = need | mark;
  const bulk = k.bulkTouches;
  let pmdF = pt.pmdFlags;
  let pmdV = pt.pmdVal;
  let pteF = pt.pteFlags;
  let pteP = pt.ptePfn;
  const start = cpu.clock;
  let clock = start;
  // User time is what the clock advanced in user mode: added at each fault and at the end.
  let userFrom = start;
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
    let entry = 0;
    if (off >= 0 && off < USER_SPAN) {
      const pmd = (off / PMD_SIZE) | 0;
      if (pmd < pmdF.length) {
        const f = pmdF[pmd];
        if ((f & need) === need) {
          const pi = (off / PAGE_SIZE) & (PTRS_PER_PTE - 1);
          if (f & _PAGE_PSE) {
            pfn = pmdV[pmd] + pi;
            entry = f;
            if ((f & mark) !== mark) pmdF[pmd] = f | mark;
          } else {
            const j = pmdV[pmd] * PTRS_PER_PTE + pi;
            const e = pteF[j];
            if ((e & need) === need) {
              pfn = pteP[j];
              entry = e;
              if ((e & mark) !== mark) pteF[j] = e | mark;
            }
          }
        }
      }
    }
    if (pfn < 0) {
      // Page fault: hand the clock to the kernel, then re-read everything it may have replaced.
      cpu.clock = clock;
      task.utimeNs += clock - userFrom;
      if (++retries > MAX_FAULT_RETRIES) throw new Error(`user access at 0x${addr.toString(16)} still faults after ${MAX_FAULT_RETRIES} faults`);
      const ret = doPageFault(k, st, mm, addr, write);
      clock = cpu.clock;
      userFrom = clock;
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
    const memNode = blockNid[pfn >>> NID_BLOCK_SHIFT];
    const idx = row + memNode;
    const cost = mult * costArr[idx];
    // This touch and the quiet ones after it on the same node: how many the budget can take at
    // most (a bound for the scan only; the exact count comes from the budget check below).
    let run = 1;
    if (bulk && (entry & quiet) === quiet && i + 1 < to) {
      const most = Math.min(to - i, Math.floor(((budgetNs - (clock - start)) / cost) * (1 + 1e-9)) + 2);
      if (most > 1) run += quietRun(pmdF, pmdV, pteF, pteP, blockNid, quiet, memNode, addrs, base, stride, from, i + 1, most - 1);
    }
    let done = run;
    if (run >= BULK_MIN) {
      charge[RUN_CLOCK] = clock;
      charge[RUN_START] = start;
      charge[RUN_BUDGET] = budgetNs;
      charge[RUN_COST] = cost;
      done = chargeRepeated(charge, busy, idx, run);
      clock = charge[RUN_CLOCK];
      st.bulkRuns++;
      st.bulkTouches += done;
    } else
      for (let q = 0; q < run; q++) {
        if (q > 0 && clock - start >= budgetNs) {
          done = q;
          break;
        }
        busy[idx] += cost;
        clock += cost;
      }
    if (memNode === cpuNode) localT += done;
    else remoteT += done;
    i += done;
  }
  cpu.clock = clock;
  task.utimeNs += clock - userFrom;
  task.localTouches += localT;
  task.remoteTouches += remoteT;
  task.localBytes += localT * bytes;
  task.remoteBytes += remoteT * bytes;
  return result < 0 ? result : i - from;
}

/**
 * How many of at most `count` touches, from touch `i` (at base + (i - from) * stride, or at addrs[i]),
 * find a quiet entry (all of `quiet`'s bits set) mapping a page on node `node`. Its arguments are the
 * caller's own values, so that no double is boxed for the call.
 * Strided walks of 4 KiB take a pte page, or a huge pmd, at a time; finer strides a page at a time.
 */
function quietRun(
  pmdF: Uint16Array,
  pmdV: Int32Array,
  pteF: Uint16Array,
  pteP: Int32Array,
  blockNid: Uint8Array,
  quiet: number,
  node: number,
  addrs: Float64Array | null,
  base: number,
  stride: number,
  from: number,
  i: number,
  count: number,
): number {
  const need = quiet & ~(_PAGE_ACCESSED | _PAGE_DIRTY);
  const pageStride = addrs === null && (stride === PAGE_SIZE || stride === -PAGE_SIZE);
  const subPage = addrs === null && stride !== 0 && Math.abs(stride) < PAGE_SIZE;
  const dir = stride > 0 ? 1 : -1;
  let m = 0;
  while (m < count) {
    const off = (addrs === null ? base + (i + m - from) * stride : addrs[i + m]) - USER_BASE;
    if (!(off >= 0 && off < USER_SPAN)) break;
    const pmd = (off / PMD_SIZE) | 0;
    if (pmd >= pmdF.length) break;
    const f = pmdF[pmd];
    const pi = (off / PAGE_SIZE) & (PTRS_PER_PTE - 1);
    // The touches left in this pmd for a 4 KiB walk, else one.
    const inPmd = pageStride ? Math.min(count - m, dir > 0 ? PTRS_PER_PTE - pi : pi + 1) : 1;
    // A strided walk finer than a page: the touches after this one that land in the same page.
    const samePage = subPage ? Math.floor((stride > 0 ? PAGE_SIZE - 1 - (off & (PAGE_SIZE - 1)) : off & (PAGE_SIZE - 1)) / Math.abs(stride)) : 0;
    if (f & _PAGE_PSE) {
      // One huge page: an aligned block of 512 pfns, all on one node.
      const head = pmdV[pmd];
      if ((f & quiet) !== quiet || blockNid[head >>> NID_BLOCK_SHIFT] !== node) break;
      m += inPmd + samePage;
      continue;
    }
    if ((f & need) !== need) break;
    let j = pmdV[pmd] * PTRS_PER_PTE + pi;
    let q = 0;
    for (; q < inPmd; q++, j += dir) if ((pteF[j] & quiet) !== quiet || blockNid[pteP[j] >>> NID_BLOCK_SHIFT] !== node) break;
    m += q;
    if (q < inPmd) break;
    m += samePage;
  }
  return Math.min(m, count);
}
