/** @balancenuma/mm-rmap — mm/rmap.c: anon_vma, rmap walks, try_to_unmap, migration ptes, the anon_vma lock model. */
export {
  createRmapOps,
  anonVmaPrepare,
  anonVmaFork,
  unlinkAnonVmas,
  pageAddAnonRmap,
  pageRemoveRmap,
  pageAnonVma,
  rmapWalk,
  rmapWalkLockShared,
  tryToUnmap,
  removeMigrationPtes,
  findMapping,
  vmaInTree,
  MAPPED_BY_PMD,
  NOT_MAPPED,
} from "./rmap.js";
