/**
 * mm/mempolicy.c: mpol_rebind_task and mpol_rebind_mm (with mpol_rebind_policy and its per-mode
 * helpers): when a task's cpuset mems change, its own policy and its mm's vma policies follow.
 * STATIC_NODES policies keep the user's nodes that are still allowed; RELATIVE_NODES fold the
 * user's mask onto the new mems; others move each node to the same ordinal of the new mems.
 */
import {
  MPOL_BIND,
  MPOL_F_LOCAL,
  MPOL_F_RELATIVE_NODES,
  MPOL_F_STATIC_NODES,
  MPOL_INTERLEAVE,
  MPOL_PREFERRED,
  nodeIsSet,
  nodeRemap,
  nodesOf,
  type Mempolicy,
  type MmStruct,
  type Nodemask,
  type Task,
} from "@balancenuma/include-linux";
import { DEFAULT_POLICY, mpolRelativeNodemask } from "./policy.js";

/** lib/bitmap.c bitmap_remap: every node of `src` moved to the same ordinal of `to` as it has in `from`. */
function nodesRemap(src: Nodemask, from: Nodemask, to: Nodemask): Nodemask {
  let out = 0n;
  for (const n of nodesOf(src)) out |= 1n << BigInt(nodeRemap(n, from, to));
  return out;
}

/** mpol_rebind_nodemask (BIND, INTERLEAVE) and mpol_rebind_preferred, done at once (MPOL_REBIND_ONCE). */
function mpolRebindPolicy(pol: Mempolicy | null, mems: Nodemask): void {
  if (pol === null || pol === DEFAULT_POLICY) return;
  if (pol.mode === MPOL_BIND || pol.mode === MPOL_INTERLEAVE) {
    let tmp: Nodemask;
    if (pol.flags & MPOL_F_STATIC_NODES) tmp = pol.userNodemask & mems;
    else if (pol.flags & MPOL_F_RELATIVE_NODES) tmp = mpolRelativeNodemask(pol.userNodemask, mems);
    else {
      tmp = nodesRemap(pol.nodes, pol.userNodemask, mems);
      pol.userNodemask = mems;
    }
    pol.nodes = tmp === 0n ? mems : tmp;
  } else if (pol.mode === MPOL_PREFERRED) {
    if (pol.flags & MPOL_F_STATIC_NODES) {
      const first = nodesOf(pol.userNodemask)[0];
      if (first !== undefined && nodeIsSet(mems, first)) {
        pol.preferredNode = first;
        pol.flags &= ~MPOL_F_LOCAL;
      } else pol.flags |= MPOL_F_LOCAL;
    } else if (pol.flags & MPOL_F_RELATIVE_NODES) {
      pol.preferredNode = nodesOf(mpolRelativeNodemask(pol.userNodemask, mems))[0] ?? pol.preferredNode;
    } else if (!(pol.flags & MPOL_F_LOCAL)) {
      pol.preferredNode = nodeRemap(pol.preferredNode, pol.userNodemask, mems);
      pol.userNodemask = mems;
    }
  }
}

/** mm/mempolicy.c: mpol_rebind_task: the task's own policy follows its new mems. */
export function mpolRebindTask(task: Task, mems: Nodemask): void {
  mpolRebindPolicy(task.mempolicy, mems);
}

/** mm/mempolicy.c: mpol_rebind_mm: every vma policy of the mm follows the new mems. */
export function mpolRebindMm(mm: MmStruct, mems: Nodemask): void {
  for (const vma of mm.vmas) mpolRebindPolicy(vma.policy, mems);
}
