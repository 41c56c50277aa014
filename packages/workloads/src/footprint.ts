/**
 * Does a workload fit the simulated machine? What it maps and faults in, against what the machine
 * can give: each node's free memory above its min watermark (the allocator fails below it and the
 * model has no reclaim or swap). Checked before anything runs, so a workload too big for the
 * machine is refused with the sizes and a fix, instead of failing with ENOMEM half way.
 */
import { PAGE_SIZE } from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { WorkloadError } from "./errors.js";

const TWO_MIB = 2 * 1024 * 1024;

/** Bytes as a person reads them: "512 MiB", "3.98 GiB". */
export function formatBytes(b: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let u = 0;
  while (Math.abs(b) >= 1024 && u < units.length - 1) {
    b /= 1024;
    u++;
  }
  return `${Number(b.toFixed(b < 10 && u > 0 ? 2 : 1))} ${units[u]}`;
}

/**
 * Simulated memory one anonymous mapping of `bytes` takes once faulted in: its 4 KiB pages and a
 * 4 KiB page table per 2 MiB. Transparent huge pages need no more: a huge page fault that finds no
 * free 2 MiB block falls back to 4 KiB pages.
 */
export function mappingBytes(bytes: number): number {
  return Math.ceil(bytes / PAGE_SIZE) * PAGE_SIZE + Math.ceil(bytes / TWO_MIB) * PAGE_SIZE;
}

/** Memory the machine can give a workload: free pages above each node's min watermark. */
export function machineRoom(k: KernelInstance): number {
  const wm = k.pageAlloc.watermarks(k);
  let pages = 0;
  k.topology.nodes.forEach((n, i) => (pages += Math.max(0, k.pageAlloc.nodeFreePages(n.id) - wm[i].min)));
  return pages * PAGE_SIZE;
}

/**
 * Refuse a workload that needs more memory than the machine has: `what` says what needs it ("numa02
 * at scale 64"), `fix` what the user can change (its own options, --scale); a bigger machine is
 * always suggested, and a smaller vm.min_free_kbytes when the watermarks hold most of it.
 */
export function ensureFits(k: KernelInstance, need: number, what: string, fix: string): void {
  const room = machineRoom(k);
  if (need <= room) return;
  const total = k.topology.nodes.reduce((a, n) => a + n.memBytes, 0);
  const kept = total - room;
  const fixes = [fix];
  if (kept > total / 2) fixes.unshift("a smaller --sysctl vm.min_free_kbytes");
  fixes.push(`a bigger --topology (e.g. ${biggerTopology(k, need + kept)})`);
  throw new WorkloadError(
    `${what} needs ${formatBytes(need)} of memory, but machine '${k.topology.name}' has ${formatBytes(room)} free ` +
      `(${formatBytes(total)} less ${formatBytes(kept)} kept free by the kernel's min watermarks); use ${fixes.join(", or ")}`,
  );
}

/** This machine's shape with enough memory per node for `bytes` in all (whole GiB per node). */
function biggerTopology(k: KernelInstance, bytes: number): string {
  const t = k.topology;
  const n = t.nodes.length;
  const cpus = t.nodes.map((x) => x.cpus.length);
  const perNode = Math.ceil((bytes * 1.05) / n / 1024 ** 3);
  const cpuSpec = cpus.every((c) => c === cpus[0]) ? String(cpus[0]) : cpus.join("+");
  return `nodes=${n},cpus=${cpuSpec},mem=${perNode}G${t.threadsPerCore > 1 ? `,smt=${t.threadsPerCore}` : ""}`;
}

/**
 * "a smaller --scale (1/8 or less)": the largest power of two at which memory that grows with the
 * scale fits, from the need at the current scale.
 */
export function smallerScale(k: KernelInstance, scale: number, need: number): string {
  const room = machineRoom(k);
  let s = 2 ** Math.floor(Math.log2(scale));
  while (s > 1 / 1024 && (need * s) / scale > room) s /= 2;
  const text = s >= 1 ? String(s) : `1/${Math.round(1 / s)}`;
  return (need * s) / scale > room ? "a smaller --scale" : `a smaller --scale (${text} or less)`;
}
