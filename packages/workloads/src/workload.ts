import type { Task } from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import type { WorkloadSpec } from "./spec.js";

/** What a workload is started with. */
export interface WorkloadContext {
  /** The workload's own options (the words after `--` on the command line). */
  readonly args: readonly string[];
  /** Memory scale asked for (--scale); undefined = the workload's default for this machine. */
  readonly scale?: number;
  /** The run's seed (autonumabench's clock-parity quirk takes its parity). */
  readonly seed: number;
  /** Simulated seconds the run is capped at. */
  readonly seconds: number;
}

/** The workload's own result, as the real tool prints it. */
export interface WorkloadScore {
  /** Named figures (e.g. "total-speed GB/sec", "bops"), in print order. */
  readonly metrics: Record<string, number>;
  /** The tool's own output lines (perf's status and result lines, SPECjbb's summary). */
  readonly lines: string[];
}

/** A started workload: its first processes, and hooks the runner calls. */
export interface StartedWorkload {
  /** The effective memory scale (1 = the original sizes). */
  readonly scale: number;
  /** The spec it runs, for workloads that are specs (autonumabench, files). */
  readonly spec?: WorkloadSpec;
  /** True once the workload asks the run to stop (perf -m convergence, measurement window over). */
  done?(): boolean;
  /** Called after each tick. */
  onTick?(k: KernelInstance): void;
  /** The share of its work done, 0..1, for workloads with a fixed amount of it (progress bars). */
  progress?(): number;
  /** The workload's score once the run is over. */
  score?(k: KernelInstance): WorkloadScore;
  readonly tasks: Task[];
}

/** A built-in workload: what it is, and how to start it on a booted kernel. */
export interface Workload {
  readonly name: string;
  /** One line for `balancenuma workloads`. */
  readonly description: string;
  /** The options it takes after `--` (one line), if any. */
  readonly usage?: string;
  /** Simulated seconds the run is capped at when --seconds is not given. */
  readonly defaultSeconds: number;
  /** Start the workload's processes. Throws WorkloadError for bad options. */
  start(k: KernelInstance, ctx: WorkloadContext): StartedWorkload;
}
