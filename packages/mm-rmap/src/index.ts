/** @balancenuma/mm-rmap — anon_vma, rmap walks, try_to_unmap, migration ptes, the anon_vma lock model. */
export { createRmapOps, findMapping, vmaInTree, pageAnonVma, rmapWalkLockShared, MAPPED_BY_PMD, NOT_MAPPED } from "./rmap.js";
