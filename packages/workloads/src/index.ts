/** @balancenuma/workloads — built-in workloads and the building blocks of user programs. */
export * from "./program.js";
export * from "./builtins.js";
export * from "./run.js";
