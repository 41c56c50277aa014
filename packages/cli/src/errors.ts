/** A mistake in what the user asked for: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Errors raised by the model for bad user input (topology, sysctl, workload) count as usage errors. */
export function isUsageError(e: unknown): e is Error {
  return e instanceof Error && ["UsageError", "TopologyError", "SysctlError", "WorkloadError", "CommanderError", "BootError"].includes(e.name);
}

/** A command ran but could not give its answer (bisect found no change, a judge aborted): one line, exit code 1. */
export class CommandFailure extends Error {
  override name = "CommandFailure";
}
