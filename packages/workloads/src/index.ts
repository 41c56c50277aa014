/** @balancenuma/workloads — built-in workloads, workload files, and running them on a kernel at a step. */
export { WorkloadError } from "@balancenuma/userspace";
export * from "./workload.js";
export * from "./spec.js";
export * from "./spec-problems.js";
export * from "./footprint.js";
export * from "./host-limits.js";
export * from "./spec-run.js";
export * from "./spec-checks.js";
export * from "./autonumabench.js";
export * from "./perf-bench-numa.js";
export * from "./specjbb.js";
export * from "./pft.js";
export * from "./kbuild.js";
export * from "./stream.js";
export * from "./builtins.js";
export * from "./run.js";
export * from "./metrics.js";
