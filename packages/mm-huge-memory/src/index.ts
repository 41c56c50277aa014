/** @balancenuma/mm-huge-memory — mm/huge_memory.c: THP faults, split_huge_page, change_huge_pmd, zap_huge_pmd, the huge NUMA hinting fault. */
export {
  createHugeMemoryOps,
  thpAllowed,
  doHugePmdAnonymousPage,
  doHugePmdNumaPage,
  changeHugePmd,
  splitHugePage,
  splitHugePagePmd,
  zapHugePmd,
  mkHugePmd,
} from "./huge-memory.js";
