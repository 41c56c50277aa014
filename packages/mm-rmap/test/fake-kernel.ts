/**
 * A small Kernel context for the unit tests of mm-rmap, mm-huge-memory and mm-migrate, usable
 * before the whole kernel boots: the real page allocator, TLB ops, rmap, huge_memory and migrate,
 * plus a minimal mm (mmap, anonymous faults, fork, munmap) and a local-node allocation policy.
 * Integration tests with @balancenuma/kernel cover the real mm-memory and mm-mempolicy.
 */
import {
  BASELINE_FEATURES,
  FAULT_FLAG_WRITE,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  HPAGE_PMD_NR,
  HPAGE_PMD_ORDER,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PAGE_SIZE,
  PG_pgtable,
  PMD_SIZE,
  PTRS_PER_PTE,
  PageFrames,
  PROT_READ,
  PROT_WRITE,
  Rng,
  USER_BASE,
  VM_FAULT_FALLBACK,
  VM_FAULT_OOM,
  VM_FAULT_SIGSEGV,
  VM_MAYREAD,
  VM_MAYWRITE,
  VM_READ,
  VM_WRITE,
  createSimLock,
  nodeMask,
  pmdIndex,
  pteIndex,
  type AnonVma,
  type CpuState,
  type Features,
  type Kernel,
  type LockKind,
  type MemoryOps,
  type MempolicyOps,
  type MmStruct,
  type SimLock,
  type Task,
  type Vma,
  makeTask,
} from "@balancenuma/include-linux";
import { COST_PROFILES, MemoryBus, makeTopology, type Topology } from "@balancenuma/machine";
import { _PAGE_DIRTY, _PAGE_PSE, _PAGE_RW, _PAGE_TABLE, createTlbOps, vmGetPageProt } from "@balancenuma/arch-x86-pgtable";
import { NR_PAGETABLE, modNodeState, newVmCounters } from "@balancenuma/vmstat";
import { createPageAllocOps } from "../../mm-page-alloc/src/index.js";
import { createRmapOps } from "../src/index.js";
import { createHugeMemoryOps } from "../../mm-huge-memory/src/index.js";
import { createMigrateOps } from "../../mm-migrate/src/index.js";
import { ptepClearFlush } from "../../mm-memory/src/pgtable-generic.js";
import { mmAlloc } from "../../mm-memory/src/fork.js";

const MiB = 1024 * 1024;

export interface FakeOptions {
  /** Memory per node in MiB (default 64, 64). */
  nodesMiB?: number[];
  cpusPerNode?: number;
  features?: Partial<Features>;
  thp?: "always" | "madvise" | "never";
}

export interface TraceLine {
  event: string;
  text: string;
}

/** The fake kernel: a Kernel plus test helpers. */
export interface FakeKernel extends Kernel {
  readonly traceLines: TraceLine[];
  /** Node new user pages go to (default: the current CPU's node). */
  allocNode: number | null;
  newTask(cpu?: number): Task;
  /** Fork `parent`'s address space into a new task. */
  forkTask(parent: Task, cpu?: number): Task;
  /** mmap anonymous private memory in task's mm; returns the address. */
  mmapAnon(task: Task, bytes: number, prot?: number): number;
  /** Fault in `n` pages from addr as `task` (write faults). */
  touch(task: Task, addr: number, n: number, write?: boolean): void;
  /** The pfn mapped at addr in mm (pte or huge pmd subpage), or -1. */
  pfnAt(mm: MmStruct, addr: number): number;
  /** pte flags at addr (or the huge pmd's flags), 0 when none. */
  entryFlags(mm: MmStruct, addr: number): number;
  isHuge(mm: MmStruct, addr: number): boolean;
  /** Make `task` current on `cpu`. */
  runAs(task: Task, cpu?: number): void;
}

function findVma(mm: MmStruct, addr: number): Vma | null {
  for (const v of mm.vmas) if (addr < v.end) return v;
  return null;
}

/** Allocate a pte page for pmd `pi` of mm (__pte_alloc). */
function ptePageAlloc(k: Kernel, mm: MmStruct, pi: number): boolean {
  const frame = k.pageAlloc.allocPages(k, GFP_KERNEL, 0, k.cpus[k.currentCpu].node, null);
  if (frame < 0) return false;
  k.pages.flags[frame] |= PG_pgtable;
  modNodeState(k, k.pages.nid[frame], NR_PAGETABLE, 1);
  const slot = mm.pgtable.allocSlot(frame);
  mm.pgtable.pmdFlags[pi] = _PAGE_TABLE;
  mm.pgtable.pmdVal[pi] = slot;
  return true;
}

/** Drop one mapping's reference; free the page when it was the last. */
function putPage(k: Kernel, pfn: number): void {
  const p = k.pages;
  if (p.refcount[pfn] > 0) p.refcount[pfn]--;
  if (p.refcount[pfn] === 0) k.pageAlloc.freePages(k, pfn, 0);
}

function createFakeMemoryOps(): MemoryOps {
  const ops: MemoryOps = {
    stats: { ptePageAllocs: 0, ptePagesUnused: 0, anonFaults: 0, wpReuses: 0, wpCopies: 0, migrationWaits: 0 },
    ptepClearFlush,
    handleMmFault(k, mm, vma, addr, flags) {
      const pt = mm.pgtable;
      const pi = pmdIndex(addr);
      pt.ensurePmd(pi);
      if (pt.pmdFlags[pi] === 0 && k.hugeMemory.thpAllowed(k, vma, addr)) {
        const r = k.hugeMemory.doHugePmdAnonymousPage(k, mm, vma, addr, pi, flags);
        if (!(r & VM_FAULT_FALLBACK)) return r;
      }
      if (pt.pmdFlags[pi] & _PAGE_PSE) return 0;
      if (pt.pmdFlags[pi] === 0 && !ptePageAlloc(k, mm, pi)) return VM_FAULT_OOM;
      const ptep = pt.pmdVal[pi] * PTRS_PER_PTE + pteIndex(addr);
      if (pt.pteFlags[ptep] !== 0) return 0;
      k.rmap.anonVmaPrepare(k, vma);
      const pfn = k.mempolicy.allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, addr);
      if (pfn < 0) return VM_FAULT_OOM;
      let pte = vmGetPageProt(vma.flags);
      if (flags & FAULT_FLAG_WRITE && vma.flags & VM_WRITE) pte |= _PAGE_RW | _PAGE_DIRTY;
      pt.pteFlags[ptep] = pte;
      pt.ptePfn[ptep] = pfn;
      k.rmap.pageAddAnonRmap(k, pfn, vma, addr, true);
      mm.anonRss++;
      return 0;
    },
    userTouch() {
      throw new Error("fake kernel: userTouch not modelled");
    },
    userTouchList() {
      throw new Error("fake kernel: userTouchList not modelled");
    },
    followPage() {
      throw new Error("fake kernel: followPage not modelled");
    },
    getUserPage() {
      throw new Error("fake kernel: getUserPage not modelled");
    },
    findVma,
    newMm(k, owner) {
      return mmAlloc(k, owner, owner);
    },
    mmap(_k, mm, _addr, length, prot, _flags) {
      const len = Math.ceil(length / PMD_SIZE) * PMD_SIZE;
      const start = mm.mmapNext;
      mm.mmapNext += len + PMD_SIZE; // a gap keeps vmas from merging
      let flags = VM_MAYREAD | VM_MAYWRITE;
      if (prot & PROT_READ) flags |= VM_READ;
      if (prot & PROT_WRITE) flags |= VM_WRITE;
      mm.vmas.push({ mm, start, end: start + length, flags, pgoff: (start - USER_BASE) / PAGE_SIZE, anonVma: null, policy: null });
      mm.vmas.sort((a, b) => a.start - b.start);
      return start;
    },
    munmap(k, mm, addr, length) {
      const end = addr + length;
      for (const vma of mm.vmas.slice()) {
        if (vma.end <= addr || vma.start >= end) continue;
        if (vma.start < addr) ops.splitVma(k, vma, addr);
      }
      for (const vma of mm.vmas.slice()) {
        if (vma.end <= addr || vma.start >= end) continue;
        if (vma.end > end) ops.splitVma(k, vma, end);
      }
      const pt = mm.pgtable;
      for (const vma of mm.vmas.slice()) {
        if (vma.start < addr || vma.end > end) continue;
        for (let a = vma.start; a < vma.end; ) {
          const pi = pmdIndex(a);
          const pmdEnd = USER_BASE + (pi + 1) * PMD_SIZE;
          if (pi < pt.pmdCount && pt.pmdFlags[pi] & _PAGE_PSE) {
            if (a === USER_BASE + pi * PMD_SIZE && vma.end >= pmdEnd) {
              k.hugeMemory.zapHugePmd(k, vma, pi);
              a = pmdEnd;
              continue;
            }
            k.hugeMemory.splitHugePmd(k, vma, pi);
          }
          if (pi < pt.pmdCount && pt.pmdFlags[pi] !== 0) {
            const ptep = pt.pmdVal[pi] * PTRS_PER_PTE + pteIndex(a);
            const pfn = pt.ptePfn[ptep];
            if (pt.pteFlags[ptep] !== 0 && pfn >= 0) {
              pt.pteFlags[ptep] = 0;
              pt.ptePfn[ptep] = -1;
              k.rmap.pageRemoveRmap(k, pfn);
              mm.anonRss--;
              putPage(k, pfn);
            }
          }
          a += PAGE_SIZE;
        }
        k.tlb.flushTlbRange(k, mm, vma.start, vma.end);
        k.rmap.unlinkAnonVmas(k, vma);
        mm.vmas.splice(mm.vmas.indexOf(vma), 1);
      }
      return 0;
    },
    madvise() {
      return 0;
    },
    dupMm(k, old, owner) {
      const mm = mmAlloc(k, owner, owner);
      mm.mmapNext = old.mmapNext;
      const pt = mm.pgtable;
      const opt = old.pgtable;
      pt.ensurePmd(opt.pmdCount - 1);
      for (const ov of old.vmas) {
        const v: Vma = { ...ov, mm, anonVma: null };
        mm.vmas.push(v);
        k.rmap.anonVmaFork(k, v, ov);
        for (let a = ov.start; a < ov.end; a += PAGE_SIZE) {
          const pi = pmdIndex(a);
          if (pi >= opt.pmdCount || opt.pmdFlags[pi] === 0) continue;
          if (opt.pmdFlags[pi] & _PAGE_PSE) {
            if (pt.pmdFlags[pi] !== 0) continue;
            // copy_huge_pmd: share the THP, deposit a pte page for the child's future split.
            const head = opt.pmdVal[pi];
            pt.pmdFlags[pi] = opt.pmdFlags[pi];
            pt.pmdVal[pi] = head;
            k.pages._mapcount[head]++;
            k.pages.refcount[head]++;
            mm.anonRss += HPAGE_PMD_NR;
            continue; // no pte page deposited for the child: a split allocates one

          }
          const optep = opt.pmdVal[pi] * PTRS_PER_PTE + pteIndex(a);
          if (opt.pteFlags[optep] === 0) continue;
          if (pt.pmdFlags[pi] === 0) ptePageAlloc(k, mm, pi);
          const ptep = pt.pmdVal[pi] * PTRS_PER_PTE + pteIndex(a);
          pt.pteFlags[ptep] = opt.pteFlags[optep];
          pt.ptePfn[ptep] = opt.ptePfn[optep];
          k.pages._mapcount[opt.ptePfn[optep]]++; // page_dup_rmap
          k.pages.refcount[opt.ptePfn[optep]]++;
          mm.anonRss++;
        }
      }
      return mm;
    },
    exitMmap() {
      throw new Error("fake kernel: exitMmap not modelled");
    },
    splitVma(_k, vma, addr) {
      const upper: Vma = { ...vma, start: addr, pgoff: vma.pgoff + (addr - vma.start) / PAGE_SIZE };
      vma.end = addr;
      const mm = vma.mm;
      mm.vmas.splice(mm.vmas.indexOf(vma) + 1, 0, upper);
      return upper;
    },
    mergeVmas() {},
  };
  return ops;
}

function createFakeMempolicy(fake: { allocNode: number | null }): MempolicyOps {
  const none = (): never => {
    throw new Error("fake kernel: mempolicy syscall not modelled");
  };
  const defaultPolicy = { mode: 0, flags: 0, nodes: 0n, preferredNode: -1, userNodemask: 0n };
  return {
    sysSetMempolicy: none,
    sysGetMempolicy: none,
    sysMbind: none,
    getVmaPolicy: () => defaultPolicy,
    allocPagesVma(k, gfp, order) {
      return k.pageAlloc.allocPages(k, gfp, order, fake.allocNode ?? k.cpus[k.currentCpu].node, null);
    },
    dupPolicy: (p) => p,
    defaultPolicy,
    mpolToStr: () => "default",
    mpolMisplaced: () => -1,
    changeProtNuma: () => 0,
    numaPolicyInit: () => {},
    setupNumabalancing: none,
  };
}

/** Build a fake kernel. */
export function fakeKernel(opts: FakeOptions = {}): FakeKernel {
  const nodesMiB = opts.nodesMiB ?? [64, 64];
  const topology: Topology = makeTopology({
    name: "fake",
    memBytes: nodesMiB.map((m) => m * MiB),
    cpusPerNode: nodesMiB.map(() => opts.cpusPerNode ?? 2),
  });
  const cost = COST_PROFILES["opteron-2012"];
  const pages = new PageFrames(topology.nodes.map((n) => n.memBytes / PAGE_SIZE));
  const cpus: CpuState[] = topology.cpuToNode.map((node, id) => ({ id, node, curr: null, clock: 0, idleNs: 0, pendingIrqNs: 0 }));
  const anonVmas: AnonVma[] = [];
  const traceLines: TraceLine[] = [];
  const tasks = new Map<number, Task>();
  let nextPid = 1;
  const hugeMemory = createHugeMemoryOps();
  hugeMemory.enabled = opts.thp ?? "always";
  const features: Features = { ...BASELINE_FEATURES, ...opts.features };

  const k: FakeKernel = {
    features,
    topology,
    cost,
    bus: new MemoryBus(topology, cost),
    pages,
    vm: newVmCounters(topology.nodes.length),
    rng: new Rng(1),
    sysctl: { get: () => 0, has: () => false },
    trace: {
      enabled: () => true,
      emit: (event, text) => void traceLines.push({ event, text }),
    },
    cpus,
    tasks,
    currentCpu: 0,
    current: null,
    debug: true,
    traceLines,
    allocNode: null,
    now: () => cpus[k.currentCpu].clock,
    jiffies: () => Math.floor(cpus[k.currentCpu].clock / 4_000_000),
    charge(ns) {
      cpus[k.currentCpu].clock += ns;
      if (k.current) k.current.stimeNs += ns;
    },
    reschedCpu() {},
    chargeCpu(cpu, ns) {
      if (cpu === k.currentCpu) k.charge(ns);
      else cpus[cpu].pendingIrqNs += ns;
    },
    printk: () => {},
    newLock: (name: string, kind: LockKind): SimLock => createSimLock(name, kind),
    lock(l, holdNs, shared = false) {
      const wait = l.acquire(k.now(), holdNs, shared);
      k.charge(wait + holdNs + cost.lockNs);
    },
    newAnonVma() {
      const id = anonVmas.length + 1;
      const kind: LockKind = k.features.anonVmaLock === "mutex" ? "mutex" : "rwsem";
      const av: AnonVma = { id, root: undefined as unknown as AnonVma, vmas: [], lock: createSimLock(`anon_vma ${id}`, kind), refcount: 1 };
      av.root = av;
      anonVmas.push(av);
      return av;
    },
    anonVmaById: (id) => anonVmas[id - 1],
    pageAlloc: createPageAllocOps(topology, pages),
    memory: createFakeMemoryOps(),
    hugeMemory,
    rmap: createRmapOps(),
    migrate: createMigrateOps(),
    mempolicy: undefined as unknown as MempolicyOps,
    mprotect: {
      changeProtection: () => 0,
      sysMprotect: () => 0,
    },
    sched: undefined as unknown as Kernel["sched"],
    tlb: createTlbOps(),

    newTask(cpu = 0) {
      const pid = nextPid++;
      const t = makeTask({
        pid,
        comm: `t${pid}`,
        cpu,
        onRq: true,
        cpusAllowed: (1n << BigInt(topology.nrCpus)) - 1n,
        memsAllowed: nodeMask(...topology.nodes.map((n) => n.id)),
        program: { run: () => 0 as const },
      });
      t.mm = mmAlloc(k, pid, pid);
      tasks.set(pid, t);
      return t;
    },
    forkTask(parent, cpu = parent.cpu) {
      const t = k.newTask(cpu);
      t.parent = parent;
      t.mm = k.memory.dupMm(k, parent.mm!, t.tgid);
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
        const vma = findVma(mm, a);
        if (!vma || vma.start > a) throw new Error(`touch: no vma at ${a.toString(16)}`);
        const r = k.memory.handleMmFault(k, mm, vma, a, write ? FAULT_FLAG_WRITE : 0);
        if (r & (VM_FAULT_OOM | VM_FAULT_SIGSEGV)) throw new Error(`touch: fault failed (${r})`);
      }
    },
    pfnAt(mm, addr) {
      const pt = mm.pgtable;
      const pi = pmdIndex(addr);
      if (pi >= pt.pmdCount || pt.pmdFlags[pi] === 0) return -1;
      if (pt.pmdFlags[pi] & _PAGE_PSE) return pt.pmdVal[pi] + pteIndex(addr);
      const ptep = pt.pmdVal[pi] * PTRS_PER_PTE + pteIndex(addr);
      return pt.pteFlags[ptep] !== 0 ? pt.ptePfn[ptep] : -1;
    },
    entryFlags(mm, addr) {
      const pt = mm.pgtable;
      const pi = pmdIndex(addr);
      if (pi >= pt.pmdCount || pt.pmdFlags[pi] === 0) return 0;
      if (pt.pmdFlags[pi] & _PAGE_PSE) return pt.pmdFlags[pi];
      return pt.pteFlags[pt.pmdVal[pi] * PTRS_PER_PTE + pteIndex(addr)];
    },
    isHuge(mm, addr) {
      const pi = pmdIndex(addr);
      return pi < mm.pgtable.pmdCount && (mm.pgtable.pmdFlags[pi] & _PAGE_PSE) !== 0;
    },
    runAs(task, cpu = task.cpu) {
      k.currentCpu = cpu;
      k.current = task;
      task.cpu = cpu;
      cpus[cpu].curr = task;
    },
  };
  (k as { mempolicy: MempolicyOps }).mempolicy = createFakeMempolicy(k);
  for (const n of topology.nodes) k.vm.nodeStat[n.id][0] = k.pageAlloc.nodeFreePages(n.id);
  return k;
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

