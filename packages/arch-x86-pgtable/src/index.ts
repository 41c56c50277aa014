/** @balancenuma/arch-x86-pgtable — x86 pte/pmd bits and helpers, TLB flushing and IPI accounting. */
export * from "./pgtable-types.js";
export * from "./pgtable.js";
export * from "./mm-pgtable.js";
export * from "./tlb.js";
export * from "./gup.js";
