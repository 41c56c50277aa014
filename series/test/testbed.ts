/**
 * A whole kernel for the subsystems' tests, with shortcuts for what they set up by hand: processes
 * pinned to a CPU, anonymous mappings, pages faulted in directly through handle_mm_fault, a look at
 * the page tables, and the trace events recorded so far. Everything below is the real kernel
 * (bootAtStep); gates are forced with `features`, subsystems replaced with `subsystems` when a test
 * needs a stub or a spy.
 */
import {
  FAULT_FLAG_WRITE,
  GFP_KERNEL,
  HPAGE_PMD_ORDER,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  VM_FAULT_OOM,
  VM_FAULT_SIGSEGV,
  nodeMask,
  pmdIndex,
  pteIndex,
  type Kernel,
  type MmStruct,
  type Task,
  pteOffset,
} from "@balancenuma/include-linux";
import { _PAGE_PSE } from "@balancenuma/arch-x86-pgtable";
import { SLEEPER } from "@balancenuma/kernel";
import type { Subsystems } from "@balancenuma/kernel";
import { LINUX_SUBSYSTEMS, bootAtStep, type Linux, type StepBootOptions } from "../boot.js";

export interface TestbedOptions extends Omit<StepBootOptions, "topology"> {
  /** Memory per node in MiB (default 64, 64). */
  nodesMiB?: number[];
  /** CPUs per node (default 2). */
  cpusPerNode?: number;
}

/** A kernel plus test shortcuts. */
export interface Testbed extends Linux {
  /** The trace events recorded so far (every event is enabled). */
  readonly traceLines: { event: string; text: string }[];
  /** The task_numa_fault calls the hinting-fault handlers made (the scheduler still gets them). */
  readonly numaFaults: { node: number; pages: number; migrated: boolean }[];
  /** A process (sleeping, driven from the test) pinned to `cpu`, current there. */
  newTask(cpu?: number): Task;
  /** fork() of `parent` from the current CPU, the child pinned to `cpu` (default: the parent's); the parent stays current. */
  forkTask(parent: Task, cpu?: number): Task;
  /** mmap anonymous private memory in task's mm; returns the address. */
  mmapAnon(task: Task, bytes: number, prot?: number): number;
  /** Fault in `n` pages from addr as `task` (write faults by default), straight into handle_mm_fault. */
  touch(task: Task, addr: number, n: number, write?: boolean): void;
  /** The pfn mapped at addr in mm (pte or huge pmd subpage), or -1. */
  pfnAt(mm: MmStruct, addr: number): number;
  /** The pte's flags at addr (or the huge pmd's), 0 when none. */
  entryFlags(mm: MmStruct, addr: number): number;
  isHuge(mm: MmStruct, addr: number): boolean;
  /** Make `task` current on `cpu`. */
  runAs(task: Task, cpu?: number): void;
  /** Put `task` on `cpu` as its running task without making it current. */
  place(task: Task, cpu: number): void;
}

/** Boot a whole kernel (step 0 unless given, invariants checked, every trace event recorded) with test shortcuts. */
export function testbed(opts: TestbedOptions = {}): Testbed {
  const { nodesMiB = [64, 64], cpusPerNode = 2, ...boot } = opts;
  const topology = `nodes=${nodesMiB.length},cpus=${cpusPerNode},mem=${nodesMiB.map((m) => `${m}M`).join("+")}`;
  const numaFaults: Testbed["numaFaults"] = [];
  // The real scheduler, with its task_numa_fault calls recorded.
  const sched: Subsystems["sched"] = (topo, features) => {
    const s = LINUX_SUBSYSTEMS.sched(topo, features);
    const taskNumaFault = s.taskNumaFault.bind(s);
    s.taskNumaFault = (kk, node, pages, migrated) => {
      numaFaults.push({ node, pages, migrated });
      taskNumaFault(kk, node, pages, migrated);
    };
    return s;
  };
  const k = bootAtStep({ debug: true, trace: ["all"], ...boot, topology, subsystems: { sched, ...boot.subsystems } }) as Testbed;
  const shortcuts: Omit<Testbed, keyof Linux> = {
    get traceLines() {
      return k.trace.events.map((e) => ({ event: e.event, text: e.text }));
    },
    numaFaults,
    newTask(cpu = 0) {
      const t = k.createProcess({ comm: "test", program: SLEEPER, cpusAllowed: 1n << BigInt(cpu) });
      k.runAs(t, cpu);
      return t;
    },
    forkTask(parent, cpu = parent.cpu) {
      k.current = parent; // fork() on the current CPU
      const t = k.forkProcess(parent, SLEEPER);
      k.sched.setCpusAllowed(k, t, 1n << BigInt(cpu));
      return t;
    },
    mmapAnon(task, bytes, prot = PROT_READ | PROT_WRITE) {
      return k.memory.mmap(k, task.mm!, 0, bytes, prot, MAP_PRIVATE | MAP_ANONYMOUS);
    },
    touch(task, addr, n, write = true) {
      k.runAs(task, task.cpu);
      const mm = task.mm!;
      for (let i = 0; i < n; i++) {
        const a = addr + i * PAGE_SIZE;
        const vma = k.memory.findVma(mm, a);
        if (!vma || vma.start > a) throw new Error(`touch: no vma at 0x${a.toString(16)}`);
        const r = k.memory.handleMmFault(k, mm, vma, a, write ? FAULT_FLAG_WRITE : 0);
        if (r & (VM_FAULT_OOM | VM_FAULT_SIGSEGV)) throw new Error(`touch: fault failed (${r})`);
      }
    },
    pfnAt(mm, addr) {
      const pt = mm.pgtable;
      const pi = pmdIndex(addr);
      if (pi >= pt.pmdCount || pt.pmdFlags[pi] === 0) return -1;
      if (pt.pmdFlags[pi] & _PAGE_PSE) return pt.pmdVal[pi] + pteIndex(addr);
      const ptep = pteOffset(pt, addr);
      return pt.pteFlags[ptep] !== 0 ? pt.ptePfn[ptep] : -1;
    },
    entryFlags(mm, addr) {
      const pt = mm.pgtable;
      const pi = pmdIndex(addr);
      if (pi >= pt.pmdCount || pt.pmdFlags[pi] === 0) return 0;
      if (pt.pmdFlags[pi] & _PAGE_PSE) return pt.pmdFlags[pi];
      return pt.pteFlags[pteOffset(pt, addr)];
    },
    isHuge(mm, addr) {
      const pi = pmdIndex(addr);
      return pi < mm.pgtable.pmdCount && (mm.pgtable.pmdFlags[pi] & _PAGE_PSE) !== 0;
    },
    runAs(task, cpu = task.cpu) {
      k.currentCpu = cpu;
      k.current = task;
      task.cpu = cpu;
      k.cpus[cpu].curr = task;
    },
    place(task, cpu) {
      task.cpu = cpu;
      k.cpus[cpu].curr = task;
    },
  };
  return Object.defineProperties<Testbed>(k, Object.getOwnPropertyDescriptors(shortcuts));
}

/** Leave `nid` without a whole 2 MiB block (so no THP can be allocated there); returns the blocks (and one page) taken. */
export function exhaustHugeBlocks(k: Kernel, nid: number): number[] {
  const taken: number[] = [];
  for (;;) {
    const pfn = k.pageAlloc.allocPages(k, GFP_KERNEL, HPAGE_PMD_ORDER, nid, nodeMask(nid));
    if (pfn < 0) break;
    taken.push(pfn);
  }
  // The watermark leaves a block whole: one single page splits it (order-0 takes whole blocks last).
  const one = k.pageAlloc.allocPages(k, GFP_KERNEL, 0, nid, nodeMask(nid));
  if (one >= 0) taken.push(one);
  return taken;
}
