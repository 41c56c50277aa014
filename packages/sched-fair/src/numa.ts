/**
 * Automatic NUMA balancing, scheduler side (kernel/sched/fair.c task_tick_numa, task_numa_work,
 * task_numa_fault; kernel/sched/core.c __sched_fork). The tick samples a task's CPU time; once a
 * scan period of it has passed the task queues task_numa_work, which marks part of its address
 * space pte_numa (k.mempolicy.changeProtNuma) so that later touches take hinting faults.
 */
import {
  HPAGE_PMD_NR,
  NSEC_PER_MSEC,
  NUMA_PTE_SCAN_ACTIVE,
  NUMA_PTE_SCAN_INIT,
  PAGE_SHIFT,
  PAGE_SIZE,
  PF_EXITING,
  jiffiesToMsecs,
  msecsToJiffies,
  type Kernel,
  type MmStruct,
  type Task,
  type Vma,
  vmaMigratable,
  hpageAlign,
} from "@balancenuma/include-linux";
import type { SchedFeatures } from "./features.js";

/** A numa_balancing_* tunable: the sysctl when this kernel has it, else the compiled default. */
function tunable(k: Kernel, name: string, compiled: number): number {
  const full = `kernel.numa_balancing_${name}`;
  return k.sysctl.has(full) ? k.sysctl.get(full) : compiled;
}

const scanPeriodMin = (k: Kernel): number => tunable(k, "scan_period_min_ms", k.features.scanPeriodMinMs);
const scanPeriodMax = (k: Kernel): number => tunable(k, "scan_period_max_ms", k.features.scanPeriodMaxMs);

/** "Small VMAs are not likely to be of relevance": fewer than HPAGE_PMD_NR pages. */
const smallVma = (vma: Vma): boolean => (vma.end - vma.start) / PAGE_SIZE < HPAGE_PMD_NR;

/** kernel/sched/core.c: __sched_fork, the NUMA part (step 26 on). */
export function schedForkNuma(k: Kernel, p: Task): void {
  const f = k.features;
  if (!f.CONFIG_NUMA_BALANCING || f.numaScanner === "none") return;
  const mm = p.mm;
  if (mm && mm.mmUsers === 1) {
    // A new address space starts its scan clock (and, from step 41, its reset clock) now.
    mm.numaNextScan = k.jiffies();
    if (f.scanPeriodResetMs > 0) mm.numaNextReset = k.jiffies();
    mm.numaScanSeq = 0;
  }
  p.nodeStamp = 0;
  p.numaScanSeq = mm ? mm.numaScanSeq : 0;
  p.numaMigrateSeq = mm ? mm.numaScanSeq - 1 : 0;
  // Step 29's slow start: the first period is the scan delay; before it, period_min.
  p.numaScanPeriod = f.scanDelayMs > 0 ? tunable(k, "scan_delay_ms", f.scanDelayMs) : scanPeriodMin(k);
  p.numaWorkQueued = false;
}

/**
 * kernel/sched/fair.c: task_tick_numa, from task_tick_fair for the running task when
 * sched_feat_numa(NUMA). Measured in the task's CPU time (se.sum_exec_runtime), not wall time.
 */
export function taskTickNuma(k: Kernel, curr: Task): void {
  const mm = curr.mm;
  if (!mm || curr.flags & PF_EXITING || curr.numaWorkQueued) return;
  const now = curr.se.sumExecRuntime;
  if (now - curr.nodeStamp <= curr.numaScanPeriod * NSEC_PER_MSEC) return;
  // Slow start (step 29): after the first delay has passed, scan at period_min.
  if (k.features.scanDelayMs > 0 && curr.nodeStamp === 0) curr.numaScanPeriod = scanPeriodMin(k);
  curr.nodeStamp = now;
  // task_work_add(curr, &curr->numa_work, true): runs on the task's next return to user space.
  if (k.jiffies() >= mm.numaNextScan) curr.numaWorkQueued = true;
}

/** The index in mm->vmas of find_vma(mm, addr) (the scan walks on with vm_next), or past the last. */
function vmaIndexAt(k: Kernel, mm: MmStruct, addr: number): number {
  const vma = k.memory.findVma(mm, addr);
  return vma === null ? mm.vmas.length : mm.vmas.indexOf(vma);
}

/** kernel/sched/fair.c: reset_ptenuma_scan (step 27 on): the scan wrapped to the lowest address. */
export function resetPtenumaScan(mm: MmStruct): void {
  mm.numaScanSeq++;
  mm.numaScanOffset = 0;
}

/** kernel/sched/fair.c: task_numa_work, the queued task_work, run by `p` itself (k.current = p). */
export function taskNumaWork(k: Kernel, sf: SchedFeatures, p: Task): void {
  const f = k.features;
  p.numaWorkQueued = false; // work->next = work: it may be queued again
  const mm = p.mm;
  if (p.flags & PF_EXITING || !mm) return;
  const node = k.topology.cpuToNode[k.currentCpu];
  const now = k.jiffies();

  // Step 44: no scanning until a task of this mm runs on a node other than the first one seen.
  if (f.delayScanUntilNewNode) {
    if (mm.firstNid === NUMA_PTE_SCAN_INIT) mm.firstNid = node;
    if (mm.firstNid !== NUMA_PTE_SCAN_ACTIVE) {
      if (mm.firstNid === node && !sf.numaForce) return;
      mm.firstNid = NUMA_PTE_SCAN_ACTIVE;
    }
  }

  // Step 41: periodically snap this task's period back to min (xchg: whoever runs the work resets).
  if (f.scanPeriodResetMs > 0 && now > mm.numaNextReset) {
    p.numaScanPeriod = scanPeriodMin(k);
    mm.numaNextReset = now + msecsToJiffies(tunable(k, "scan_period_reset", f.scanPeriodResetMs));
  }

  // At most one pass per mm per period: the thread that wins the cmpxchg on numa_next_scan scans.
  // (CPUs are simulated one at a time, so the compare and the store cannot interleave.)
  if (now < mm.numaNextScan) return;
  if (p.numaScanPeriod === 0) p.numaScanPeriod = scanPeriodMin(k);
  // Step 26 spaced passes two periods apart; step 36 one.
  mm.numaNextScan = now + f.nextScanPeriods * msecsToJiffies(p.numaScanPeriod);

  // Step 35: do not create more hinting faults while this node is saturated with migrations.
  if (f.pteNumaRatelimit && k.migrate.migrateRatelimited(k, node)) return;

  switch (f.numaScanner) {
    case "whole-address-space":
      mm.numaScanSeq++;
      withMmapSemRead(k, mm, () => {
        scanWholeAddressSpace(k, mm);
      });
      return;
    case "virtual-window": {
      const bytes = tunable(k, "scan_size_mb", f.scanSizeMb) * 2 ** 20;
      withMmapSemRead(k, mm, () => {
        scanVirtualWindow(k, mm, bytes);
      });
      return;
    }
    case "present-ptes": {
      // Step 28: the budget is in updated entries; a zero budget ends the pass (after next_scan moved).
      const pages = tunable(k, "scan_size_mb", f.scanSizeMb) * 2 ** (20 - PAGE_SHIFT);
      if (pages <= 0) return;
      withMmapSemRead(k, mm, () => {
        scanPresentPtes(k, mm, pages);
      });
      return;
    }
    case "none":
      return;
  }
}

/** down_read(&mm->mmap_sem) around `body`; the hold is the time the body took. */
function withMmapSemRead(k: Kernel, mm: MmStruct, body: () => void): void {
  const t0 = k.now();
  body();
  const wait = mm.mmapSem.acquire(t0, k.now() - t0, true);
  if (wait > 0) {
    // A sleeping rwsem waiter: the wait passes as elapsed time, plus a context switch.
    k.cpus[k.currentCpu].clock += wait;
    k.chargeWait(k.cost.lockSleepNs, k.cost.lockSleepNs, mm.mmapSem);
  } else k.charge(k.cost.lockNs);
}

/** Step 26: mark every migratable vma whole. */
function scanWholeAddressSpace(k: Kernel, mm: MmStruct): void {
  for (let i = 0; i < mm.vmas.length; i++) {
    const vma = mm.vmas[i];
    k.charge(k.cost.pteUpdateNs); // looking at the vma
    if (!vmaMigratable(vma)) continue;
    k.mempolicy.changeProtNuma(k, vma, vma.start, vma.end);
  }
}

/**
 * Step 27: mark up to `length` bytes of virtual range from mm->numa_scan_offset, in 2 MB-aligned
 * pieces, skipping small vmas. As the v10 loop does, the vma cursor moves on after the last piece,
 * so a pass whose budget runs out in the last vma wraps the scan (seq++) even mid-vma.
 */
function scanVirtualWindow(k: Kernel, mm: MmStruct, length: number): void {
  const vmas = mm.vmas;
  let offset = mm.numaScanOffset;
  let i = vmaIndexAt(k, mm, offset);
  if (i >= vmas.length) {
    resetPtenumaScan(mm);
    offset = 0;
    i = 0;
  }
  for (; i < vmas.length && length > 0; i++) {
    const vma = vmas[i];
    k.charge(k.cost.pteUpdateNs);
    if (!vmaMigratable(vma) || smallVma(vma)) continue;
    offset = Math.max(offset, vma.start);
    const end = Math.min(hpageAlign(offset + length), vma.end);
    length -= end - offset; // virtual range is charged, populated or not
    k.mempolicy.changeProtNuma(k, vma, offset, end);
    offset = end;
  }
  if (i < vmas.length) mm.numaScanOffset = offset;
  else resetPtenumaScan(mm);
}

/**
 * Step 28 (3.8's loop): mark from mm->numa_scan_offset until `pages` entries were updated, in
 * chunks ending 2 MB-aligned; only updated entries cost budget, so sparse ranges are nearly free.
 */
function scanPresentPtes(k: Kernel, mm: MmStruct, pages: number): void {
  const vmas = mm.vmas;
  let start = mm.numaScanOffset;
  let i = vmaIndexAt(k, mm, start);
  if (i >= vmas.length) {
    resetPtenumaScan(mm);
    start = 0;
    i = 0;
  }
  out: for (; i < vmas.length; i++) {
    const vma = vmas[i];
    k.charge(k.cost.pteUpdateNs);
    if (!vmaMigratable(vma) || smallVma(vma)) continue;
    let end: number;
    do {
      start = Math.max(start, vma.start);
      end = Math.min(hpageAlign(start + pages * PAGE_SIZE), vma.end);
      pages -= k.mempolicy.changeProtNuma(k, vma, start, end);
      start = end;
      if (pages <= 0) break out;
    } while (end !== vma.end);
  }
  if (i < vmas.length) mm.numaScanOffset = start;
  else resetPtenumaScan(mm);
}

/** kernel/sched/fair.c: task_numa_placement: the 3.8 placeholder, it only notes a new scan sequence. */
export function taskNumaPlacement(p: Task): void {
  const mm = p.mm;
  if (!mm || p.numaScanSeq === mm.numaScanSeq) return;
  p.numaScanSeq = mm.numaScanSeq;
}

/** kernel/sched/fair.c: task_numa_fault: a hinting fault of the current task. */
export function taskNumaFault(k: Kernel, sf: SchedFeatures, _node: number, _pages: number, migrated: boolean): void {
  const f = k.features;
  if (!f.CONFIG_NUMA_BALANCING || f.numaScanner === "none") return; // the !CONFIG_NUMA_BALANCING stub
  // Step 42: no period adaptation or placement while balancing is off.
  if (f.numaBalancingControl && !sf.numa) return;
  const p = k.current;
  if (!p) return;
  // Step 36: every fault slows scanning a little; step 41: only faults that did not migrate.
  if (f.scanPeriodGrowth === "every-fault") p.numaScanPeriod = Math.min(scanPeriodMax(k), p.numaScanPeriod + jiffiesToMsecs(2));
  else if (f.scanPeriodGrowth === "non-migrating" && !migrated) p.numaScanPeriod = Math.min(scanPeriodMax(k), p.numaScanPeriod + jiffiesToMsecs(10));
  taskNumaPlacement(p);
}
