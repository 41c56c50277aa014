/** @balancenuma/mm-mempolicy — NUMA memory policies (mm/mempolicy.c, Linux 3.7-rc6 plus the series' gates). */
import { allocPagesVma, getVmaPolicy } from "./alloc.js";
import { changeProtNuma } from "./change-prot-numa.js";
import { sysMbind } from "./mbind.js";
import { sysMigratePages } from "./migrate-pages.js";
import { mpolMisplaced } from "./misplaced.js";
import { mpolToStr } from "./mpol-to-str.js";
import { numaPolicyInit, setupNumabalancing } from "./policy-init.js";
import { DEFAULT_POLICY, mpolDup } from "./policy.js";
import { sysGetMempolicy, sysSetMempolicy } from "./set-mempolicy.js";
import { newMempolicyStatics, type MempolicyInstance } from "./state.js";
export { newMempolicyStatics } from "./state.js";

export { MPOL_MAX_3_7, mpolMax, newPolicy, getNodes, mpolNew, mpolSetNodemask, mpolRelativeNodemask, mpolDup, DEFAULT_POLICY } from "./policy.js";
export { getTaskPolicy, getVmaPolicy, numaMapsPolicy, allocPagesVma, allocPageInterleave, interleaveNid, offsetIlNode, policyZonelistNode } from "./alloc.js";
export { sysSetMempolicy, sysGetMempolicy, getPolicyNodemask, lookupNode } from "./set-mempolicy.js";
export {
  sysMbind,
  doMbind,
  checkRange,
  mbindRange,
  MBIND_NOOP_PTR_ERR,
  mbindLazyCode,
  mpolMfInternal,
  mpolMfValid,
  mpolMfDiscontigOk,
  mpolMfInvert,
} from "./mbind.js";
export { sysMigratePages } from "./migrate-pages.js";
export { mpolToStr } from "./mpol-to-str.js";
export { mpolMisplaced } from "./misplaced.js";
export { changeProtNuma } from "./change-prot-numa.js";
export { numaPolicyInit, setupNumabalancing, checkNumabalancingEnable, CONFIG_NUMA_BALANCING_DEFAULT_ENABLED } from "./policy-init.js";
export { mempolicyStatics, type MempolicyInstance, type MempolicyStatics } from "./state.js";

/** The mempolicy subsystem's ops for the kernel context (with this kernel's mempolicy.c statics). */
export function createMempolicyOps(): MempolicyInstance {
  return {
    statics: newMempolicyStatics(),
    sysSetMempolicy,
    sysGetMempolicy,
    sysMbind,
    sysMigratePages,
    getVmaPolicy,
    allocPagesVma,
    dupPolicy: mpolDup,
    defaultPolicy: DEFAULT_POLICY,
    mpolMisplaced,
    changeProtNuma,
    numaPolicyInit,
    setupNumabalancing,
    mpolToStr,
  };
}
