/**
 * Does a workload fit the simulated machine? What it maps and faults in, against what the machine
 * can give: each node's free memory above its min watermark (the allocator fails below it and the
 * model has no reclaim or swap). Checked before anything runs, so a workload too big for the
 * machine is refused with the sizes and a fix, instead of failing with ENOMEM half way.
 */
import { PAGE_SIZE } from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { WorkloadError } from "@balancenuma/userspace";

const TWO_MIB = 2 * 1024 * 1024;

/** Region sizes scale, in whole pages. */
export function scaledBytes(bytes: number, scale: number): number {
  return Math.max(4096, Math.floor((bytes * scale) / 4096) * 4096);
}

/** Bytes as a person reads them: "512 MiB", "3.98 GiB". */
function formatBytes(b: number): string {
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

/** Memory the machine (or some of its nodes) can give a workload: free pages above each node's min watermark. */
export function machineRoom(k: KernelInstance, nodes?: readonly number[]): number {
  const wm = k.pageAlloc.watermarks(k);
  let pages = 0;
  for (const n of nodes ?? k.topology.nodes.map((x) => x.id)) pages += Math.max(0, k.pageAlloc.nodeFreePages(n) - wm[n].min);
  return pages * PAGE_SIZE;
}

/**
 * Why a workload does not fit the machine (or, with `nodes`, the memory it binds to those nodes with
 * MPOL_BIND does not fit them), or null: `what` says what needs the memory ("numa02 at scale 64"),
 * `fixes()` what the user can change (its own options, --scale). A smaller vm.min_free_kbytes is
 * suggested when the watermarks hold most of the memory, and a bigger machine always.
 */
export function fitProblem(k: KernelInstance, need: number, what: string, fixes: (room: number) => string[], nodes?: readonly number[]): string | null {
  const room = machineRoom(k, nodes);
  if (need <= room) return null;
  const ids = nodes ?? k.topology.nodes.map((x) => x.id);
  const total = ids.reduce((a, n) => a + k.topology.nodes[n].memBytes, 0);
  const kept = total - room;
  const all = fixes(room);
  if (kept > total / 2) all.unshift("a smaller --sysctl vm.min_free_kbytes");
  const bigger = biggerTopology(k, ((need + kept) * k.topology.nodes.length) / ids.length);
  all.push(bigger ? `a bigger --topology (e.g. ${bigger})` : "a bigger --topology");
  const plural = nodes !== undefined && nodes.length > 1;
  const onNodes = nodes ? `${plural ? "nodes" : "node"} ${nodes.join(",")}` : "";
  return (
    `${what} needs ${formatBytes(need)} of memory${nodes ? ` bound to ${onNodes}` : ""}, but ${nodes ? `${onNodes} of ` : ""}machine '${k.topology.name}' ${plural ? "have" : "has"} ` +
    `${formatBytes(room)} free (${formatBytes(total)} less ${formatBytes(kept)} kept free by the kernel's min watermarks); use ${all.join(", or ")}`
  );
}

/** fitProblem as a WorkloadError (exit code 2), before anything runs. */
function ensureFits(k: KernelInstance, need: number, what: string, fixes: (room: number) => string[], nodes?: readonly number[]): void {
  const why = fitProblem(k, need, what, fixes, nodes);
  if (why) throw new WorkloadError(why);
}

/** ensureFits for memory that grows with --scale, suggesting the scale at which it fits. */
export function ensureFitsAtScale(k: KernelInstance, need: number, name: string, scale: number, fixes: string[] = [], nodes?: readonly number[]): void {
  ensureFits(k, need, `${name} at scale ${scale}`, (room) => [smallerScale(scale, need, room), ...fixes], nodes);
}

/** This machine's shape with enough memory per node for `bytes` in all (whole GiB per node), up to 1 TiB per node. */
function biggerTopology(k: KernelInstance, bytes: number): string | null {
  const t = k.topology;
  const n = t.nodes.length;
  const cpus = t.nodes.map((x) => x.cpus.length);
  const perNode = Math.ceil((bytes * 1.05) / n / 1024 ** 3);
  if (perNode > 1024) return null;
  const cpuSpec = cpus.every((c) => c === cpus[0]) ? String(cpus[0]) : cpus.join("+");
  return `nodes=${n},cpus=${cpuSpec},mem=${perNode}G${t.threadsPerCore > 1 ? `,smt=${t.threadsPerCore}` : ""}`;
}

/**
 * "a smaller --scale (1/8 or less)": the largest power of two at which memory that grows with the
 * scale fits, from the need at the current scale.
 */
function smallerScale(scale: number, need: number, room: number): string {
  let s = 2 ** Math.floor(Math.log2(scale));
  while (s > 1 / 1024 && (need * s) / scale > room) s /= 2;
  const text = s >= 1 ? String(s) : `1/${Math.round(1 / s)}`;
  return (need * s) / scale > room ? "a smaller --scale" : `a smaller --scale (${text} or less)`;
}
