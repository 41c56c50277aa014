/** @balancenuma/workloads — built-in workloads, workload files, and running them on a kernel at a step. */
export { type WorkloadContext, type WorkloadScore, type StartedWorkload, type Workload } from "./workload.js";
export type { CpuSet, Policy, Region, Access, Phase, ThreadGroup, ProcessSpec, WorkloadSpec, WorkloadSpecInput } from "./spec.js";
export { problemsError, parseWorkloadFile, validateSpec, type Problem } from "./spec-problems.js";
export { formatPath } from "./field-path.js";
export { scaledBytes, mappingBytes, machineRoom, fitProblem, ensureFitsAtScale } from "./footprint.js";
export { hostLimitProblem, ensureHostFits, HOST_LIMITS } from "./host-limits.js";
export { nodesCpuMask, startSpec, passesScore, PassTally } from "./spec-run.js";
export { checkSpecOnMachine, specMemory } from "./spec-checks.js";
export { autonumaMachine, defaultAutonumaScale, autonumaSpec, AUTONUMABENCH } from "./autonumabench.js";
export { defaultPerfParams, parseBindList, parsePerfArgs, startPerfBenchNuma, PERF_SUITE, perfBenchNuma } from "./perf-bench-numa.js";
export { specjbb } from "./specjbb.js";
export { pft } from "./pft.js";
export { kbuild } from "./kbuild.js";
export { stream } from "./stream.js";
export { findWorkload, WorkloadError, BUILTIN_WORKLOADS } from "./builtins.js";
export {
  mmtestsNumaStats,
  runWorkload,
  ConvergenceWindow,
  type RunOptions,
  type RunConfig,
  type Invocation,
  type RunReport,
  type ProcessReport,
  type MemorySample,
  type ConvergenceSample,
  type MmtestsNumaStats,
  type WorkReport,
} from "./run.js";
export {
  formatMetric,
  reportMetrics,
  metricUnit,
  listMetrics,
  isCommonMetric,
  metricValue,
  ABSENT,
  slug,
  COMMON_METRICS,
  type MetricValue,
} from "./metrics.js";
export { didYouMean } from "./suggest.js";
