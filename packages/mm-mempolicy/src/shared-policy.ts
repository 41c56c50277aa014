/**
 * mm/mempolicy.c: shared policies (struct shared_policy, the sp_node tree of a shmem object):
 * mbind on a shared mapping sets the policy of the object's pages in that range, for every
 * process mapping it (shmem_set_policy -> mpol_set_shared_policy), and get_vma_policy of a shared
 * mapping asks the object (shmem_get_policy -> mpol_shared_policy_lookup), not the vma.
 */
import { PAGE_SIZE, type Mempolicy, type ShmemObject, type Vma } from "@balancenuma/include-linux";
import { mpolDup } from "./policy.js";

/** mpol_shared_policy_lookup: the policy of page `off` of the object, or null (none set there). */
export function mpolSharedPolicyLookup(obj: ShmemObject, off: number): Mempolicy | null {
  for (const r of obj.policy) if (off >= r.start && off < r.end) return r.policy;
  return null;
}

/**
 * mpol_set_shared_policy (shared_policy_replace): pages [start, end) of the object get `pol`
 * (null, MPOL_DEFAULT, removes any policy there); ranges around it are cut to fit.
 */
export function mpolSetSharedPolicy(obj: ShmemObject, start: number, end: number, pol: Mempolicy | null): void {
  const kept = obj.policy.flatMap((r) => {
    if (r.end <= start || r.start >= end) return [r];
    const parts = [];
    if (r.start < start) parts.push({ start: r.start, end: start, policy: r.policy });
    if (r.end > end) parts.push({ start: end, end: r.end, policy: mpolDup(r.policy) as Mempolicy });
    return parts;
  });
  if (pol !== null) kept.push({ start, end, policy: mpolDup(pol) as Mempolicy });
  obj.policy = kept.sort((a, b) => a.start - b.start);
}

/** The policy a vma itself gives `addr` (vma->vm_ops->get_policy for a shared mapping, else vma->vm_policy), or null. */
export function vmaPolicyAt(vma: Vma, addr: number): Mempolicy | null {
  if (!vma.shm) return vma.policy;
  return mpolSharedPolicyLookup(vma.shm, vma.pgoff + Math.floor((addr - vma.start) / PAGE_SIZE));
}
