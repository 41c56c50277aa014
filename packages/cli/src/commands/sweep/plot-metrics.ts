import type { CellArgs } from "./matrix.js";

/** Metrics plotted against the step unless --metrics says otherwise. */
export const DEFAULT_PLOT_METRICS = ["elapsed", "system", "local_percent", "numa_hint_faults", "numa_pages_migrated", "convergence_mean"];

/**
 * The default plot metrics of a sweep: with --seconds, runs may stop at the cap, where elapsed is
 * the cap for every step (a flat line), so throughput leads instead.
 */
export function defaultPlotMetrics(args: CellArgs): string[] {
  return args.seconds === undefined ? DEFAULT_PLOT_METRICS : ["throughput_gb_s", ...DEFAULT_PLOT_METRICS.filter((m) => m !== "elapsed")];
}
