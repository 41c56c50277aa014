/**
 * @balancenuma/userspace — programs that run on the simulated kernel: scripts of system calls and
 * memory touches, barriers, and the access patterns of the benchmarks (sweeps, random and hot-set
 * touches, perf bench numa's chunked walk), generated as they run in constant memory.
 */
export {
  Barrier,
  Script,
  TOUCH_BATCH,
  act,
  call,
  chunkedWalk,
  computeFor,
  hotSetPages,
  join,
  lazy,
  lfsr32,
  randomPages,
  sequence,
  sleepFor,
  sweep,
  type PatternOptions,
  type ScriptStep,
  type SweepOptions,
  type TouchGenerator,
} from "./program.js";
export { WorkloadError, faultError } from "./errors.js";
