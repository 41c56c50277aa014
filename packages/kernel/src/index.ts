/** @balancenuma/kernel — assemble a kernel at step N on a simulated machine, run it, and read its /proc views. */
export { bootKernel, KernelInstance, BASE_SYSCTLS, BootError, numaBalancingSysctls, type BootOptions, type LogLine } from "./boot.js";
export { Sysctls, SysctlError, type SysctlDef } from "./sysctl.js";
export { TRACE_HEADER, TraceBuffer, formatTraceEvent, type TraceEvent } from "./tracer.js";
export { SLEEPER } from "./user-api.js";
export { renderNumaMaps, renderNumastat, renderNumastatSystem, type NumastatProcess, type NumastatOptions } from "./proc/index.js";
