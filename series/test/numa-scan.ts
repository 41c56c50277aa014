/**
 * Helpers for the scanner's step delta tests (series/26..44): a booted kernel with one CPU-bound
 * process, a recorder on the scanner's marking primitive, and a pte_numa census of the page tables.
 */
import {
  MAP_ANONYMOUS,
  MPOL_DEFAULT,
  MPOL_INTERLEAVE,
  nodeMask,
  MAP_FIXED,
  MAP_PRIVATE,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_READ,
  PROT_WRITE,
  PTRS_PER_PTE,
  RUN_BUDGET_USED,
  TOUCH_STREAM,
  USER_BASE,
  pmdIndex,
  type Kernel,
  type MmStruct,
  type Task,
  type UserProgram,
  type Vma,
} from "@balancenuma/include-linux";
import { _PAGE_PRESENT, _PAGE_PSE } from "@balancenuma/arch-x86-pgtable";
import type { KernelInstance } from "@balancenuma/kernel";
import { bootAtStep, type StepBootOptions } from "../boot.js";

export const MB = 1 << 20;
export const MS = 1_000_000;
/** _PAGE_NUMA on x86 (= _PAGE_PROTNONE, bit 8). */
const PAGE_NUMA = 0x100;
/** A small two-node machine. */
const TOPO = "nodes=2,cpus=2,mem=128M";

/** A program that only computes: CPU time accrues at wall-clock rate, no memory is touched. */
export const spinner = (): UserProgram => ({
  run: (u) => {
    u.compute(u.budgetLeft());
    return RUN_BUDGET_USED;
  },
});

/** One change_prot_numa call made by the scanner. */
export interface MarkCall {
  readonly jiffies: number;
  readonly pid: number;
  readonly start: number;
  readonly end: number;
  readonly updated: number;
}

/** Record every k.mempolicy.changeProtNuma call (calling through to the real one). */
function recordMarking(k: Kernel): MarkCall[] {
  const calls: MarkCall[] = [];
  const mp = k.mempolicy;
  const real = mp.changeProtNuma.bind(mp);
  mp.changeProtNuma = (kk: Kernel, vma: Vma, start: number, end: number) => {
    const updated = real(kk, vma, start, end);
    calls.push({ jiffies: kk.jiffies(), pid: kk.current?.pid ?? 0, start, end, updated });
    return updated;
  };
  return calls;
}

/** Scanner passes: the distinct jiffies at which marking calls were made. */
export const passes = (calls: readonly MarkCall[]): number[] => [...new Set(calls.map((c) => c.jiffies))];

/** Ptes in [start, end) that are pte_numa (_PAGE_NUMA set, PRESENT clear), read from the page tables. */
export function countNumaPtes(mm: MmStruct, start = USER_BASE, end = Infinity): number {
  const pt = mm.pgtable;
  let n = 0;
  const lastPmd = Math.min(pt.pmdCount, end === Infinity ? pt.pmdCount : pmdIndex(end - 1) + 1);
  for (let i = Math.max(0, pmdIndex(start)); i < lastPmd; i++) {
    const pf = pt.pmdFlags[i];
    if (pf === 0 || pf & _PAGE_PSE) continue;
    const base = pt.pmdVal[i] * PTRS_PER_PTE;
    const a0 = USER_BASE + i * PMD_SIZE;
    for (let j = 0; j < PTRS_PER_PTE; j++) {
      const a = a0 + j * PAGE_SIZE;
      if (a < start || a >= end) continue;
      if ((pt.pteFlags[base + j] & (PAGE_NUMA | _PAGE_PRESENT)) === PAGE_NUMA) n++;
    }
  }
  return n;
}

export interface ScanRig {
  k: KernelInstance;
  t: Task;
  calls: MarkCall[];
}

/**
 * Boot at `step` (THP off so every page is a pte), start a CPU-bound process pinned to `cpu`, and
 * map `regions` into it at fixed addresses (offset from USER_BASE), touching `populate(offset)`
 * pages (interleaved over both nodes with `interleave`). The marking recorder is installed before anything runs.
 */
export function rig(
  step: number,
  regions: { at: number; bytes: number; populate?: (off: number) => boolean; interleave?: boolean }[],
  opts: Omit<StepBootOptions, "step"> & { cpu?: number; cpusAllowed?: bigint } = {},
): ScanRig {
  const k = bootAtStep({ topology: TOPO, thp: "never", seed: 1, ...opts, step });
  const calls = recordMarking(k);
  const cpusAllowed = opts.cpusAllowed ?? 1n << BigInt(opts.cpu ?? 0);
  const t = k.createProcess({ comm: "scanned", program: spinner(), cpusAllowed });
  const u = k.userApi(t);
  for (const r of regions) {
    const addr = USER_BASE + r.at;
    const got = u.mmap(addr, r.bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    if (got !== addr) throw new Error(`mmap at +${r.at} failed: ${got}`);
    const pop = r.populate ?? (() => true);
    // Pages on both nodes keep change_prot_numa from marking the pmd (step 32 on): faults go to do_numa_page.
    if (r.interleave) u.setMempolicy(MPOL_INTERLEAVE, nodeMask(0, 1), 64);
    for (let off = 0; off < r.bytes; off += PAGE_SIZE) if (pop(off)) u.touch(addr + off, 1, PAGE_SIZE, 8, true, TOUCH_STREAM);
    if (r.interleave) u.setMempolicy(MPOL_DEFAULT, null, 0);
  }
  return { k, t, calls };
}

export { USER_BASE };
