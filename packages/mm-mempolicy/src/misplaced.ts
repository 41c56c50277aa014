/**
 * mm/mempolicy.c, migrate on fault: mpol_misplaced (step 19) with the migrate-on-reference branch
 * (step 31) and its two-stage last_nid filter (step 40); page_xchg_last_nid (include/linux/mm.h).
 */
import {
  MPOL_BIND,
  MPOL_F_LOCAL,
  MPOL_F_MOF,
  MPOL_F_MORON,
  MPOL_INTERLEAVE,
  MPOL_PREFERRED,
  PAGE_SHIFT,
  nodeIsSet,
  type Kernel,
  type Vma,
  numaNodeId,
  pageXchgLastNid,
  pageToNid,
} from "@balancenuma/include-linux";
import { getVmaPolicy, interleaveNid } from "./alloc.js";

/**
 * mm/mempolicy.c: mpol_misplaced (step 19, gate mpolMisplaced; compiled in every NUMA kernel): the
 * node the page at addr of vma should move to under the policy that governs it for the current task,
 * or -1 if it is where it should be. Only MPOL_F_MOF ("migrate on fault") policies ask for moves:
 * INTERLEAVE wants the interleave node of the page offset, PREFERRED its node (the faulting CPU's
 * for local), BIND nothing if the page is inside the mask, else the mask's node nearest to the
 * faulting CPU. From step 31 (gate migrateOnReference) a MPOL_F_MORON policy (the default
 * preferred_node_policy) wants the faulting CPU's node instead; from step 40 (gate twoStageFilter)
 * only if the previous hinting fault on the page came from that node too (page->_last_nid, which
 * every such evaluation overwrites).
 */
export function mpolMisplaced(k: Kernel, pfn: number, vma: Vma, addr: number): number {
  if (!k.features.mpolMisplaced) return -1; // no such function before step 19
  const pol = getVmaPolicy(k, k.current, vma, addr);
  if (!(pol.flags & MPOL_F_MOF)) return -1;
  const curnid = pageToNid(k.pages, pfn);
  const thisnid = numaNodeId(k);
  let polnid: number;
  switch (pol.mode) {
    case MPOL_INTERLEAVE:
      // offset_il_node of vm_pgoff + (addr - vm_start) >> PAGE_SHIFT
      polnid = interleaveNid(k, pol, vma, addr, PAGE_SHIFT);
      break;
    case MPOL_PREFERRED:
      polnid = pol.flags & MPOL_F_LOCAL ? thisnid : pol.preferredNode;
      break;
    case MPOL_BIND: {
      // Inside the mask is fine, even if a nearer allowed node exists.
      if (nodeIsSet(pol.nodes, curnid)) return -1;
      // first_zones_zonelist(node_zonelist(numa_node_id(), GFP_HIGHUSER), ..., &pol->v.nodes)
      polnid = -1;
      for (const n of k.pageAlloc.zonelist(thisnid))
        if (nodeIsSet(pol.nodes, n)) {
          polnid = n;
          break;
        }
      if (polnid < 0) return -1;
      break;
    }
    default:
      throw new Error(`BUG: mpol_misplaced: policy mode ${pol.mode}`);
  }
  if (k.features.migrateOnReference && pol.flags & MPOL_F_MORON) {
    // Migrate On pte_numa Reference On Node: the page belongs where it is being used.
    polnid = thisnid;
    if (k.features.twoStageFilter) {
      // Two-stage filter: a first fault from this node only records it; a second consecutive
      // fault from the same node says the task<->node relation is likely to last.
      const lastNid = pageXchgLastNid(k, pfn, polnid);
      if (lastNid !== polnid) return -1;
    }
  }
  return curnid !== polnid ? polnid : -1;
}
