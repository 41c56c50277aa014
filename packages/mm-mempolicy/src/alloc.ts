/**
 * mm/mempolicy.c, the allocation side: get_task_policy, get_vma_policy, interleave node selection, policy_zonelist /
 * policy_nodemask and alloc_pages_vma. This runs on every user page fault: no allocation here.
 */
import {
  MPOL_BIND,
  MPOL_F_LOCAL,
  MPOL_INTERLEAVE,
  MPOL_PREFERRED,
  PAGE_SHIFT,
  __GFP_THISNODE,
  type Kernel,
  type Mempolicy,
  type Task,
  type Vma,
  numaNodeId,
  pageToNid,
} from "@balancenuma/include-linux";
import { modNodeState, NUMA_INTERLEAVE_HIT } from "@balancenuma/vmstat";
import { mpolToStr } from "./mpol-to-str.js";
import { DEFAULT_POLICY, policyNodes } from "./policy.js";
import { mempolicyStatics } from "./state.js";
import { vmaPolicyAt } from "./shared-policy.js";

/**
 * mm/mempolicy.c: get_task_policy (step 31, gate migrateOnReference): the task's own policy or, for a
 * task without one, preferred_node_policy[] of `nid` (numa_node_id(), the node of the CPU running the
 * code): MPOL_PREFERRED on that node with MPOL_F_MOF | MPOL_F_MORON, i.e. migrate on reference. NULL
 * (so default_policy) before the step, and while numa_policy_init has not filled the table.
 */
export function getTaskPolicy(k: Kernel, p: Task | null, nid: number = numaNodeId(k)): Mempolicy | null {
  const pol = p !== null ? p.mempolicy : null;
  if (pol !== null || !k.features.migrateOnReference) return pol;
  const pn = mempolicyStatics(k)?.preferredNodePolicy[nid];
  return pn !== undefined && pn.mode !== 0 ? pn : null;
}

/**
 * mm/mempolicy.c: get_vma_policy: the vma's own policy, else the task's (get_task_policy from step
 * 31), else default_policy. `nid` is numa_node_id() of the CPU doing the lookup: the caller's CPU by
 * default; /proc/PID/numa_maps passes the reader's (see numaMapsPolicy).
 */
export function getVmaPolicy(k: Kernel, task: Task | null, vma: Vma | null, addr: number, nid?: number): Mempolicy {
  let pol = getTaskPolicy(k, task, nid);
  const vpol = vma === null ? null : vmaPolicyAt(vma, addr);
  if (vpol !== null) pol = vpol;
  return pol ?? DEFAULT_POLICY;
}

/**
 * fs/proc/task_mmu.c: show_numa_map's policy text: mpol_to_str(get_vma_policy(task, vma,
 * vma->vm_start)). From step 31 a vma without a policy of a task without one prints "prefer:<N>"
 * where N is the node of the CPU *reading* the file (`readerCpu`, default the current CPU), since
 * get_task_policy looks up preferred_node_policy[numa_node_id()] (mm/mempolicy.c in 3.8).
 */
export function numaMapsPolicy(k: Kernel, task: Task, vma: Vma, readerCpu: number = k.currentCpu): string {
  return mpolToStr(getVmaPolicy(k, task, vma, vma.start, k.cpus[readerCpu].node));
}

/**
 * mm/mempolicy.c: offset_il_node: the (off mod weight)-th node of an interleave policy, so a given
 * page of a mapping always interleaves to the same node. An empty mask means local.
 */
export function offsetIlNode(k: Kernel, pol: Mempolicy, off: number): number {
  const nodes = policyNodes(pol);
  if (nodes.length === 0) return numaNodeId(k);
  return nodes[off % nodes.length];
}

/**
 * mm/mempolicy.c: interleave_nid for a vma: the page offset in the mapping, in units of the
 * allocation (vm_pgoff counts small pages, so a huge page shifts both terms by its order).
 */
export function interleaveNid(k: Kernel, pol: Mempolicy, vma: Vma, addr: number, shift: number): number {
  const scale = 2 ** (shift - PAGE_SHIFT);
  const off = Math.floor(vma.pgoff / scale) + Math.floor((addr - vma.start) / 2 ** shift);
  return offsetIlNode(k, pol, off);
}

/**
 * mm/mempolicy.c: policy_zonelist: the node whose zonelist the allocation walks. PREFERRED starts at
 * its node (or `nd`, the local node, for MPOL_F_LOCAL); BIND stays node-local within its mask, except
 * that __GFP_THISNODE from a node outside the mask uses the mask's first node.
 */
export function policyZonelistNode(gfp: number, pol: Mempolicy, nd: number): number {
  if (pol.mode === MPOL_PREFERRED) return pol.flags & MPOL_F_LOCAL ? nd : pol.preferredNode;
  if (pol.mode === MPOL_BIND && gfp & __GFP_THISNODE) {
    const nodes = policyNodes(pol);
    for (let i = 0; i < nodes.length; i++) if (nodes[i] === nd) return nd;
    return nodes[0];
  }
  return nd;
}

/**
 * mm/mempolicy.c: alloc_page_interleave: allocate from `nid`'s zonelist (falling back like any
 * allocation) and count numa_interleave when the page landed on the intended node.
 */
export function allocPageInterleave(k: Kernel, gfp: number, order: number, nid: number): number {
  const pfn = k.pageAlloc.allocPages(k, gfp, order, nid, null);
  if (pfn >= 0 && pageToNid(k.pages, pfn) === nid) modNodeState(k, nid, NUMA_INTERLEAVE_HIT, 1);
  return pfn;
}

/**
 * mm/mempolicy.c: alloc_pages_vma: allocate 2^order pages for a fault at addr in vma as the governing
 * policy says. Interleave picks a node by page offset; the others start the zonelist at the policy's
 * node with the faulting CPU's node as the local node; only BIND passes a nodemask (policy_nodemask),
 * so only BIND cannot fall back outside its nodes. Returns the pfn or -1.
 */
export function allocPagesVma(k: Kernel, gfp: number, order: number, vma: Vma, addr: number): number {
  const pol = getVmaPolicy(k, k.current, vma, addr);
  if (pol.mode === MPOL_INTERLEAVE) return allocPageInterleave(k, gfp, order, interleaveNid(k, pol, vma, addr, PAGE_SHIFT + order));
  const nid = policyZonelistNode(gfp, pol, numaNodeId(k));
  return k.pageAlloc.allocPages(k, gfp, order, nid, pol.mode === MPOL_BIND ? pol.nodes : null);
}
