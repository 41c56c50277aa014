import { ENOMEM } from "@balancenuma/include-linux";

/** A mistake in what the user asked of a workload (unknown name, bad option, bad file): exit code 2. */
export class WorkloadError extends Error {
  override name = "WorkloadError";
}

/**
 * A workload's memory access failed with -errno. ENOMEM means the simulated machine has no memory
 * left for it (the model has no reclaim or OOM killer): the machine is too small for the workload,
 * which the user can change. Any other errno is a bug in the model.
 */
export function faultError(what: string, errno: number): Error {
  if (errno === ENOMEM)
    return new WorkloadError(
      `${what}: the simulated machine ran out of memory (a fault failed with ENOMEM); give a --topology with more memory or a smaller --scale`,
    );
  return new Error(`${what} faulted (errno ${errno})`);
}
