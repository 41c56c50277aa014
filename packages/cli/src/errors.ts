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

/**
 * Standard output or error cannot be written. EPIPE (the reader went away, as in
 * `balancenuma series | head -1`) stops the command at once and quietly, as a Unix tool killed by
 * SIGPIPE does (status 141 in the shell); other errors (ENOSPC on /dev/full) are failures.
 */
export class OutputClosed extends Error {
  override name = "OutputClosed";
  constructor(
    readonly stream: "standard output" | "standard error",
    readonly code: string,
  ) {
    super(`cannot write to ${stream}: ${code}`);
  }
}

/** The exit status of a command whose output was closed: 128 + SIGPIPE, what a shell shows for a tool SIGPIPE killed. */
export const OUTPUT_CLOSED_EXIT = 141;
