/** struct mempolicy and nodemask_t. A nodemask is a bigint bit set (bit n = node n). */
import { MPOL_MODE_FLAGS, MPOL_PREFERRED, VM_HUGETLB, VM_IO, VM_PFNMAP } from "./constants.js";
import type { Vma } from "./mm.js";
export type Nodemask = bigint;

export interface Mempolicy {
  /** MPOL_DEFAULT / PREFERRED / BIND / INTERLEAVE (MPOL_LOCAL is stored as PREFERRED + MPOL_F_LOCAL). */
  mode: number;
  /** MPOL_F_* mode flags (STATIC/RELATIVE) and internal flags (SHARED, LOCAL, ...). */
  flags: number;
  /** BIND/INTERLEAVE: the allowed nodes. */
  nodes: Nodemask;
  /** PREFERRED: the node (-1 with MPOL_F_LOCAL). */
  preferredNode: number;
  /** The nodemask the user passed (for MPOL_F_STATIC_NODES / RELATIVE_NODES rebinding). */
  userNodemask: Nodemask;
  /** Interleave cursor for process-context allocations (task->il_next lives on the task in the kernel). */
}

export const nodeIsSet = (mask: Nodemask, node: number): boolean => ((mask >> BigInt(node)) & 1n) === 1n;
export const nodeMask = (...nodes: number[]): Nodemask => nodes.reduce((m, n) => m | (1n << BigInt(n)), 0n);
export const nodesWeight = (mask: Nodemask): number => {
  let c = 0;
  for (let m = mask; m; m &= m - 1n) c++;
  return c;
};
/** Nodes in a mask, ascending. */
export const nodesOf = (mask: Nodemask): number[] => {
  const out: number[] = [];
  for (let n = 0, m = mask; m; n++, m >>= 1n) if (m & 1n) out.push(n);
  return out;
};
/** A nodelist as the kernel prints it: "0-1,3". */
export function nodelistFormat(mask: Nodemask): string {
  const nodes = nodesOf(mask);
  const parts: string[] = [];
  for (let i = 0; i < nodes.length; ) {
    let j = i;
    while (j + 1 < nodes.length && nodes[j + 1] === nodes[j] + 1) j++;
    parts.push(i === j ? `${nodes[i]}` : `${nodes[i]}-${nodes[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/**
 * include/linux/mempolicy.h: mpol_equal (with __mpol_equal): whether two policies are the same, so
 * vma_merge may join vmas that carry them. NULL equals only NULL.
 */
export function mpolEqual(a: Mempolicy | null, b: Mempolicy | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a.mode !== b.mode || a.flags !== b.flags) return false;
  // MPOL_F_STATIC_NODES / MPOL_F_RELATIVE_NODES policies also remember what the user asked for.
  if (a.flags & MPOL_MODE_FLAGS && a.userNodemask !== b.userNodemask) return false;
  if (a.mode === MPOL_PREFERRED) return a.preferredNode === b.preferredNode;
  return a.nodes === b.nodes;
}

/** include/linux/mempolicy.h: vma_migratable: not an I/O, pfn-mapped or hugetlb vma. */
export function vmaMigratable(vma: Vma): boolean {
  return (vma.flags & (VM_IO | VM_HUGETLB | VM_PFNMAP)) === 0;
}

/** include/linux/nodemask.h: node_remap (lib/bitmap.c bitmap_bitremap): the node at the same ordinal in `to` as `s` has in `from`. */
export function nodeRemap(s: number, from: Nodemask, to: Nodemask): number {
  if (!nodeIsSet(from, s)) return s;
  const w = nodesWeight(to);
  if (w === 0) return s;
  let ord = 0;
  for (const n of nodesOf(from)) {
    if (n === s) break;
    ord++;
  }
  return nodesOf(to)[ord % w];
}
