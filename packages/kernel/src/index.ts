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
export { renderNumaMaps, renderStatus, renderNumastat, renderNumastatSystem, type NumastatProcess, type NumastatOptions } from "./proc/index.js";
/** Credentials: kernel/sys.c set*uid and capset on a task (userApi's setuid/setresuid/capset call these). */
export { sysSetuid, sysSetresuid, sysCapset } from "./sys.js";
/** Cpusets: set a task's mems_allowed, rebinding its policies (k.setMemsAllowed calls this). */
export { cpusetSetMems } from "./cpuset.js";
/** The error a debug kernel (`debug: true`, `run --check`) throws when an invariant breaks. */
export { InvariantError } from "./invariants.js";
