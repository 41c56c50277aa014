/**
 * How big a workload the model holds in host memory. Each simulated process, thread and mapped
 * region costs the simulator host memory whether or not it touches simulated memory; measured with
 * packages/workloads/bench/host-memory.ts (docs/workloads.md, "Limits"):
 * - a process (mm, its first page tables, main task): about 60 KiB;
 * - a thread (task_struct, NUMA fault statistics, scheduler entity, its program): about 5 KiB;
 * - a mapped region (vma, anon_vma): about 1 KiB.
 * At the limits a workload holds under 0.5 GiB of host heap (V8's limit is 4 GiB, and the machine's
 * own page arrays need their share); they are checked before anything runs.
 */
import { WorkloadError } from "@balancenuma/userspace";

export const HOST_LIMITS = {
  /** Processes (mms) alive at once. */
  processes: 1024,
  /** Tasks in all: every process's main thread and worker threads. */
  tasks: 65536,
  /** Threads of one thread group of a workload file. */
  threadsPerGroup: 4096,
  /** Regions mapped in all (a thread group's regions count once per thread). */
  regions: 65536,
} as const;

/** Host memory per process, thread and region, KiB (measured; for messages). */
const HOST_KIB = { process: 60, task: 5, region: 1 } as const;

/** How many processes, tasks and mapped regions a workload makes. */
export interface HostFootprint {
  processes: number;
  tasks: number;
  regions?: number;
}

/** Why a workload is too big for the host (naming the limit and its cost), or null. */
function hostProblem(f: HostFootprint, fix: string): string | null {
  const over = (n: number, limit: number, what: string, kib: number) =>
    n > limit ? `${n} ${what}, more than the ${limit} the simulator holds (each takes about ${kib} KiB of host memory); ${fix}` : null;
  return (
    over(f.processes, HOST_LIMITS.processes, "processes", HOST_KIB.process) ??
    over(f.tasks, HOST_LIMITS.tasks, "tasks (processes and their threads)", HOST_KIB.task) ??
    over(f.regions ?? 0, HOST_LIMITS.regions, "mapped regions", HOST_KIB.region)
  );
}

/** The processes, tasks and regions of a workload file's processes. */
function specHostFootprint(processes: readonly SpecShape[]): HostFootprint {
  let p = 0;
  let tasks = 0;
  let regions = 0;
  for (const proc of processes) {
    const workers = proc.threads.reduce((a, g) => a + g.count, 0);
    p += proc.count;
    tasks += proc.count * (1 + workers);
    regions += proc.count * (proc.regions.length + proc.threads.reduce((a, g) => a + g.count * g.regions.length, 0));
  }
  return { processes: p, tasks, regions };
}

/** What specHostFootprint reads of a process spec. */
interface SpecShape {
  count: number;
  regions: readonly unknown[];
  threads: readonly { count: number; regions: readonly unknown[] }[];
}

/** A workload file's host problem, or null. */
export function hostLimitProblem(spec: { processes: readonly SpecShape[] }): string | null {
  return hostProblem(specHostFootprint(spec.processes), "use fewer or smaller process and thread counts");
}

/** Refuse (WorkloadError) a workload too big for the host: `what` names it in its own terms. */
export function ensureHostFits(what: string, f: HostFootprint, fix: string): void {
  const why = hostProblem(f, fix);
  if (why) throw new WorkloadError(`${what} makes ${why}`);
}
