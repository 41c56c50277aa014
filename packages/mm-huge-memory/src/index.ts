/** @balancenuma/mm-huge-memory — THP faults, split_huge_page, change_huge_pmd, zap_huge_pmd. */
export { createHugeMemoryOps, compoundHead, mkHugePmd } from "./huge-memory.js";
