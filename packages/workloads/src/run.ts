import { PAGE_SIZE, PTRS_PER_PTE, NSEC_PER_SEC, type MmStruct, type Task } from "@balancenuma/include-linux";
import { _PAGE_PSE } from "@balancenuma/arch-x86-pgtable";
import { bootKernel, type BootOptions, type KernelInstance } from "@balancenuma/kernel";
import { vmstatEntries } from "@balancenuma/vmstat";
import { findWorkload, type WorkloadOptions } from "./builtins.js";

export interface RunOptions extends BootOptions {
  workload: string;
  /** Simulated seconds to run. */
  seconds: number;
  /** Seconds between memory samples. */
  sampleEvery?: number;
  workloadOptions?: WorkloadOptions;
  /** Called after each tick with the fraction done (progress bars). */
  onProgress?: (fraction: number) => void;
}

export interface ProcessReport {
  pid: number;
  comm: string;
  threads: number;
  userSeconds: number;
  systemSeconds: number;
  /** Per-node resident memory at the end, MiB. */
  nodeMiB: number[];
  localTouches: number;
  remoteTouches: number;
  /** Share of touches that were local, percent. */
  localPercent: number;
}

export interface MemorySample {
  seconds: number;
  /** [pid] -> MiB per node. */
  processes: Record<string, number[]>;
}

export interface RunReport {
  machine: string;
  step: number;
  seed: number;
  workload: string;
  elapsedSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  cpuPercent: number;
  processes: ProcessReport[];
  samples: MemorySample[];
  /** Per-node free memory at the end, MiB. */
  nodeFreeMiB: number[];
  /** /proc/vmstat at the end, in file order. */
  vmstat: Record<string, number>;
  /** /proc/vmstat end minus start (only counters that moved). */
  vmstatDelta: Record<string, number>;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** Resident pages of an mm per node, from its page tables. */
export function mmNodePages(k: KernelInstance, mm: MmStruct): number[] {
  const out = new Array<number>(k.topology.nodes.length).fill(0);
  const pt = mm.pgtable;
  for (let i = 0; i < pt.pmdCount; i++) {
    const f = pt.pmdFlags[i];
    if (f === 0) continue;
    if (f & _PAGE_PSE) {
      out[k.pages.nid[pt.pmdVal[i]]] += PTRS_PER_PTE;
      continue;
    }
    const slot = pt.pmdVal[i];
    for (let j = slot * PTRS_PER_PTE; j < (slot + 1) * PTRS_PER_PTE; j++) {
      const pfn = pt.ptePfn[j];
      if (pt.pteFlags[j] !== 0 && pfn >= 0) out[k.pages.nid[pfn]]++;
    }
  }
  return out;
}

const toMiB = (pages: number) => round((pages * PAGE_SIZE) / (1024 * 1024), 2);

/** Boot a kernel, run a built-in workload on it, and report what the kernel's counters say. */
export function runWorkload(opts: RunOptions): { report: RunReport; kernel: KernelInstance } {
  const k = bootKernel(opts);
  const workload = findWorkload(opts.workload);
  const leaders = workload.start(k, opts.workloadOptions ?? {});
  const start = vmstatEntries(k.vm, k.features);
  const totalNs = Math.round(opts.seconds * NSEC_PER_SEC);
  const sampleNs = Math.round((opts.sampleEvery ?? 1) * NSEC_PER_SEC);
  const samples: MemorySample[] = [];
  const processes = () => leaders.filter((t) => t.mm);
  const sample = () => {
    const s: MemorySample = { seconds: round(k.time / NSEC_PER_SEC), processes: {} };
    for (const t of processes()) s.processes[t.pid] = t.exitNs < 0 ? mmNodePages(k, t.mm!).map(toMiB) : [];
    samples.push(s);
  };
  let nextSample = 0;
  while (k.time < totalNs) {
    if (k.time >= nextSample) {
      sample();
      nextSample += sampleNs;
    }
    k.runTick();
    opts.onProgress?.(k.time / totalNs);
    if (!k.hasLiveTasks()) break;
  }
  sample();

  const threadsOf = (leader: Task) => [...k.tasks.values()].filter((t) => t.tgid === leader.tgid);
  const procReports: ProcessReport[] = processes().map((leader) => {
    const th = threadsOf(leader);
    const sum = (f: (t: Task) => number) => th.reduce((a, t) => a + f(t), 0);
    const local = sum((t) => t.localTouches);
    const remote = sum((t) => t.remoteTouches);
    return {
      pid: leader.pid,
      comm: leader.comm,
      threads: th.length,
      userSeconds: round(sum((t) => t.utimeNs) / NSEC_PER_SEC),
      systemSeconds: round(sum((t) => t.stimeNs) / NSEC_PER_SEC),
      nodeMiB: leader.exitNs < 0 ? mmNodePages(k, leader.mm!).map(toMiB) : k.topology.nodes.map(() => 0),
      localTouches: local,
      remoteTouches: remote,
      localPercent: local + remote === 0 ? 100 : round((100 * local) / (local + remote), 2),
    };
  });
  const all = [...k.tasks.values()];
  const user = all.reduce((a, t) => a + t.utimeNs, 0) / NSEC_PER_SEC;
  const sys = all.reduce((a, t) => a + t.stimeNs, 0) / NSEC_PER_SEC;
  const elapsed = k.time / NSEC_PER_SEC;
  const end = vmstatEntries(k.vm, k.features);
  const startMap = new Map(start);
  const delta: Record<string, number> = {};
  for (const [n, v] of end) if (v !== (startMap.get(n) ?? 0)) delta[n] = v - (startMap.get(n) ?? 0);
  const report: RunReport = {
    machine: k.topology.name,
    step: k.step,
    seed: opts.seed ?? 1,
    workload: workload.name,
    elapsedSeconds: round(elapsed),
    userSeconds: round(user),
    systemSeconds: round(sys),
    cpuPercent: elapsed > 0 ? round((100 * (user + sys)) / elapsed, 1) : 0,
    processes: procReports,
    samples,
    nodeFreeMiB: k.topology.nodes.map((n) => toMiB(k.pageAlloc.nodeFreePages(n.id))),
    vmstat: Object.fromEntries(end),
    vmstatDelta: delta,
  };
  return { report, kernel: k };
}
