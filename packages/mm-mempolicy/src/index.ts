/** @balancenuma/mm-mempolicy — NUMA memory policies (mm/mempolicy.c, Linux 3.7-rc6). */
import type { MempolicyOps } from "@balancenuma/include-linux";
import { allocPagesVma, getVmaPolicy } from "./alloc.js";
import { sysMbind } from "./mbind.js";
import { mpolToStr } from "./mpol-to-str.js";
import { DEFAULT_POLICY, mpolDup } from "./policy.js";
import { sysGetMempolicy, sysSetMempolicy } from "./set-mempolicy.js";

export { MPOL_MAX_3_7, mpolMax, getNodes, mpolNew, mpolSetNodemask, mpolRelativeNodemask, mpolDup, DEFAULT_POLICY, capable } from "./policy.js";
export { getVmaPolicy, allocPagesVma, interleaveNid, offsetIlNode, policyZonelistNode, numaNodeId } from "./alloc.js";
export { sysSetMempolicy, sysGetMempolicy, getPolicyNodemask, lookupNode } from "./set-mempolicy.js";
export { sysMbind, doMbind, checkRange, mbindRange, vmaMigratable, MR_MEMPOLICY_MBIND } from "./mbind.js";
export { mpolToStr } from "./mpol-to-str.js";

/** The mempolicy subsystem's ops for the kernel context. */
export function createMempolicyOps(): MempolicyOps {
  return {
    sysSetMempolicy,
    sysGetMempolicy,
    sysMbind,
    getVmaPolicy: (_k, task, vma, addr) => getVmaPolicy(task, vma, addr),
    allocPagesVma,
    dupPolicy: mpolDup,
    defaultPolicy: DEFAULT_POLICY,
    mpolToStr,
  };
}
