/**
 * @balancenuma/kernel — the simulated machine's kernel core: the context every subsystem runs in,
 * the event loop (time, ticks, wake-ups, noise), processes, sysctls, tracing and /proc views. It is
 * given its mm and scheduler code (`subsystems`); `@balancenuma/series` boots a whole kernel at a
 * step of the series.
 */
export { bootKernel, KernelInstance, BootError, type BootOptions, type LogLine } from "./boot.js";
export { DEFAULT_QUANTUM_NS, EventLoop } from "./event-loop.js";
export { createProcess, createKernelThread, cloneThread, forkProcess, type StartOptions } from "./fork.js";
export { doExit, waitFor } from "./exit.js";
export { missingSubsystem, type Subsystems, type SubsystemName } from "./subsystems.js";
export { BASE_SYSCTLS, numaBalancingSysctls } from "./sysctl-table.js";
export { Sysctls, SysctlError, type SysctlDef } from "./sysctl.js";
export { TRACE_HEADER, TraceBuffer, formatTraceEvent, type TraceEvent } from "./tracer.js";
export { SLEEPER, TIMER_SLACK_NS } from "./user-api.js";
export { renderNumaMaps, renderNumastat, renderNumastatSystem, type NumastatProcess, type NumastatOptions } from "./proc/index.js";
