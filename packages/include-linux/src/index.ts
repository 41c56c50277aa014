/** @balancenuma/include-linux — the kernel's shared types and constants (include/linux, include/uapi). */
export * from "./constants.js";
export * from "./random.js";
export * from "./page.js";
export * from "./pgtable.js";
export * from "./mempolicy.js";
export * from "./mm.js";
export * from "./task.js";
export * from "./user.js";
export * from "./lock.js";
export * from "./features.js";
export * from "./kernel.js";
export * from "./sim-lock.js";
