/** A mistake in what the user asked of a workload (unknown name, bad option, bad file): exit code 2. */
export class WorkloadError extends Error {
  override name = "WorkloadError";
}
