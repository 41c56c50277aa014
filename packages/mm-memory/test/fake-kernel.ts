/**
 * A minimal Kernel for mm-memory's tests: the real page allocator, TLB ops and memory ops, with
 * small stand-ins for rmap (flat anon_vma lists, kernel accounting of mapcount and NR_ANON_PAGES),
 * mempolicy (local allocation) and THP (never). Not part of the model.
 */
import {
  BASELINE_FEATURES,
  PageFrames,
  Rng,
  createSimLock,
  linearAddr,
  linearPage,
  nodeMask,
  PAGE_SIZE,
  type AnonVma,
  type CpuState,
  type Features,
  type Kernel,
  type MmStruct,
  type RmapOps,
  type SimLock,
  type Task,
  type Vma,
  makeTask,
} from "@balancenuma/include-linux";
import { COST_PROFILES, MemoryBus, parseTopology } from "@balancenuma/machine";
import { NR_ANON_PAGES, modNodeState, newVmCounters } from "@balancenuma/vmstat";
import { createTlbOps } from "@balancenuma/arch-x86-pgtable";
// The real allocator, by path: a test-only use that keeps mm-memory free of a package dependency on it.
import { createPageAllocOps } from "../../mm-page-alloc/src/index.js";
import { createMemoryOps } from "../src/index.js";

const unimplemented = (what: string) => (): never => {
  throw new Error(`fake kernel: ${what} is not available`);
};

function fakeRmap(): RmapOps {
  return {
    anonVmaPrepare(k, vma) {
      if (!vma.anonVma) {
        vma.anonVma = k.newAnonVma();
        vma.anonVma.vmas.push(vma);
      }
      return vma.anonVma;
    },
    anonVmaFork(_k, child, parent) {
      child.anonVma = parent.anonVma;
      parent.anonVma?.vmas.push(child);
    },
    // Like mm-rmap, the lists name mms; the walk finds the covering vma in each mm.
    unlinkAnonVmas() {},
    pageAddAnonRmap(k, pfn, vma, addr, isNew) {
      const p = k.pages;
      if (isNew) {
        p.anonVma[pfn] = vma.anonVma!.id;
        p.index[pfn] = linearPage(addr);
      }
      if (++p._mapcount[pfn] === 0) modNodeState(k, p.nid[pfn], NR_ANON_PAGES, 1);
    },
    pageRemoveRmap(k, pfn) {
      const p = k.pages;
      if (--p._mapcount[pfn] === -1) modNodeState(k, p.nid[pfn], NR_ANON_PAGES, -1);
    },
    tryToUnmap: unimplemented("try_to_unmap"),
    removeMigrationPtes: unimplemented("remove_migration_ptes"),
    rmapWalk(k, pfn, visit) {
      const av = k.anonVmaById(k.pages.anonVma[pfn]);
      const addr = linearAddr(k.pages.index[pfn]);
      const mms = new Set((av?.vmas ?? []).map((v) => v.mm));
      for (const mm of mms) {
        const v = k.memory.findVma(mm, addr);
        if (v && v.start <= addr && k.memory.followPage(k, v, addr, 0) === pfn) visit(v, addr);
      }
    },
  };
}

export interface FakeKernel extends Kernel {
  features: Readonly<Features>;
  /** The task_numa_fault calls the hinting-fault handlers made. */
  numaFaults: { node: number; pages: number; migrated: boolean }[];
  /** A process on `cpu` with a fresh mm, made current. */
  spawn(cpu: number): Task;
  /** Make `t` the task running on its CPU and the current one. */
  run(t: Task): void;
  /** Put task `t` on CPU `cpu` as its running task without making it current. */
  place(t: Task, cpu: number): void;
}

export function fakeKernel(opts: { topology?: string; features?: Partial<Features> } = {}): FakeKernel {
  const preset = parseTopology(opts.topology ?? "nodes=2,cpus=2,mem=64M");
  const topology = preset.topology;
  const cost = COST_PROFILES[preset.costProfile];
  const pages = new PageFrames(topology.nodes.map((n) => n.memBytes / PAGE_SIZE));
  const cpus: CpuState[] = topology.cpuToNode.map((node, id) => ({ id, node, curr: null, clock: 0, idleNs: 0, pendingIrqNs: 0 }));
  const anonVmas: AnonVma[] = [];
  let nextPid = 1;
  const k: FakeKernel = {
    features: Object.freeze({ ...BASELINE_FEATURES, ...opts.features }),
    topology,
    cost,
    bus: new MemoryBus(topology, cost),
    pages,
    vm: newVmCounters(topology.nodes.length),
    rng: new Rng(1),
    sysctl: { get: () => 0, has: () => false },
    trace: { enabled: () => false, emit: () => {} },
    cpus,
    tasks: new Map(),
    currentCpu: 0,
    current: null,
    debug: true,
    now: () => cpus[k.currentCpu].clock,
    jiffies: () => 0,
    charge(ns: number) {
      cpus[k.currentCpu].clock += ns;
      if (k.current) k.current.stimeNs += ns;
    },
    reschedCpu() {},
    chargeCpu(cpu: number, ns: number) {
      if (cpu === k.currentCpu) k.charge(ns);
      else cpus[cpu].pendingIrqNs += ns;
    },
    printk: () => {},
    newLock: (name, kind) => createSimLock(name, kind),
    lock(l: SimLock, holdNs: number, shared = false) {
      k.charge(l.acquire(k.now(), holdNs, shared) + holdNs + cost.lockNs);
    },
    newAnonVma() {
      const av: AnonVma = { id: anonVmas.length + 1, root: undefined as unknown as AnonVma, vmas: [], lock: createSimLock("anon_vma", "mutex"), refcount: 1 };
      av.root = av;
      anonVmas.push(av);
      return av;
    },
    anonVmaById: (id) => anonVmas[id - 1],
    pageAlloc: createPageAllocOps(topology, pages),
    memory: createMemoryOps(),
    hugeMemory: {
      enabled: "never",
      thpAllowed: () => false,
      doHugePmdAnonymousPage: unimplemented("THP"),
      splitHugePage: unimplemented("THP"),
      splitHugePmd: () => {},
      changeHugePmd: () => 0,
      doHugePmdNumaPage: unimplemented("THP"),
      zapHugePmd: unimplemented("THP"),
    },
    rmap: fakeRmap(),
    migrate: {
      isolateLruPage: unimplemented("migrate"),
      putbackLruPage: unimplemented("migrate"),
      migratePages: unimplemented("migrate"),
      sysMovePages: unimplemented("migrate"),
      sysMigratePages: unimplemented("migrate"),
      migrateMisplacedPage: unimplemented("migrate_misplaced_page"),
      migrateMisplacedTranshugePage: unimplemented("migrate_misplaced_transhuge_page"),
      migrateRatelimited: () => false,
    },
    mempolicy: {
      sysSetMempolicy: unimplemented("mempolicy"),
      sysGetMempolicy: unimplemented("mempolicy"),
      sysMbind: unimplemented("mempolicy"),
      getVmaPolicy: unimplemented("mempolicy"),
      allocPagesVma: (kk, gfp, order) => kk.pageAlloc.allocPages(kk, gfp, order, kk.cpus[kk.currentCpu].node, null),
      dupPolicy: (p) => p,
      defaultPolicy: { mode: 0, flags: 0, nodes: 0n, preferredNode: -1, userNodemask: 0n },
      mpolToStr: () => "default",
      // Tests replace this to make pages misplaced.
      mpolMisplaced: () => -1,
      changeProtNuma: unimplemented("change_prot_numa"),
      numaPolicyInit: () => {},
      setupNumabalancing: unimplemented("numa_balancing="),
    },
    mprotect: { changeProtection: unimplemented("mprotect"), sysMprotect: unimplemented("mprotect") },
    sched: {
      wakeUpNewTask: unimplemented("sched"),
      wakeUp: unimplemented("sched"),
      dequeueCurrent: unimplemented("sched"),
      pickNext: unimplemented("sched"),
      schedulerTick: unimplemented("sched"),
      idleBalance: unimplemented("sched"),
      updateCurr: unimplemented("sched"),
      setCpusAllowed: unimplemented("sched"),
      nrRunning: () => 0,
      taskNumaFault(_k: Kernel, node: number, pages: number, migrated: boolean) {
        k.numaFaults.push({ node, pages, migrated });
      },
    } as unknown as Kernel["sched"],
    numaFaults: [],
    tlb: createTlbOps(),
    spawn(cpu: number): Task {
      const pid = nextPid++;
      const t = newTask(pid, cpu, null);
      t.mm = k.memory.newMm(k, pid);
      k.tasks.set(pid, t);
      k.run(t);
      return t;
    },
    run(t: Task) {
      cpus[t.cpu].curr = t;
      k.currentCpu = t.cpu;
      k.current = t;
    },
    place(t: Task, cpu: number) {
      t.cpu = cpu;
      cpus[cpu].curr = t;
    },
  };
  // NR_FREE_PAGES at boot, as the lead's boot does.
  for (const n of topology.nodes) k.vm.nodeStat[n.id][0] = k.pageAlloc.nodeFreePages(n.id);
  return k;
}

function newTask(pid: number, cpu: number, mm: MmStruct | null): Task {
  return makeTask({
    pid,
    comm: `t${pid}`,
    mm,
    cpu,
    onRq: true,
    cpusAllowed: ~0n,
    memsAllowed: nodeMask(0, 1),
    program: { run: () => 1 },
  });
}

/** Fork `parent`'s mm into a new task on `cpu` (not made current). */
export function forkTask(k: FakeKernel, parent: Task, cpu: number): Task {
  const child = k.spawn(cpu);
  k.memory.exitMmap(k, child.mm!);
  k.run(parent);
  child.mm = k.memory.dupMm(k, parent.mm!, child.tgid);
  return child;
}

export type { Vma };
