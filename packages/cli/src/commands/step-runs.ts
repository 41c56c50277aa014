import { SingleBar } from "cli-progress";
import { formatMetric, listMetrics, runWorkload, type MetricValue, type RunReport, type WorkloadSpec } from "@balancenuma/workloads";
import { bootWarnings, buildFeatures, loadWorkloadFile } from "../run-command.js";
import type { WorkloadFlags } from "../workload-options.js";
import { equivalentRun, invocation } from "../invocation.js";
import { revertAt } from "../kernels.js";

/** Simulated seconds of the run that finds a workload's processes and score names (probeMetrics). */
export const PROBE_SECONDS = 0.01;

/**
 * Runs of one workload at many steps, each (kernel, seed) run once and kept (bisect, compare,
 * review). A kernel is a step without the steps reverted from it: by default those of the flags'
 * --revert that it has.
 */
export class StepRuns {
  private readonly cache = new Map<string, RunReport>();
  /** Kernel boot warnings already shown: each is shown once, however many runs print it. */
  private readonly warned = new Set<string>();
  /** Runs actually simulated (cache misses). */
  runs = 0;

  constructor(
    private readonly flags: WorkloadFlags,
    private readonly args: string[],
    private readonly spec: WorkloadSpec | undefined,
    private readonly onRun: (step: number, seed: number) => void = () => {},
    private readonly err: (s: string) => void = () => {},
  ) {}

  /** Runs of the flags' workload: a built-in, or their workload file, read and checked first. */
  static async open(flags: WorkloadFlags, args: string[], onRun?: (step: number, seed: number) => void, err?: (s: string) => void): Promise<StepRuns> {
    const spec = flags.workloadFile === undefined ? undefined : await loadWorkloadFile(flags.workloadFile);
    return new StepRuns(flags, args, spec, onRun, err);
  }

  report(step: number, seed: number, reverted: readonly number[] = revertAt(this.flags.revert, step)): RunReport {
    const key = `${[step, ...reverted].join("-")}/${seed}`;
    let r = this.cache.get(key);
    if (!r) {
      r = this.simulate(step, reverted, seed, this.flags.seconds);
      this.cache.set(key, r);
      this.runs++;
      this.onRun(step, seed);
    }
    return r;
  }

  /**
   * The metric names of a short run (PROBE_SECONDS) at `step`: the processes the workload has
   * started by then and the score figures it reports, to check metric names before the real runs.
   */
  probeMetrics(step: number, seed: number): { workload: string; metrics: string[] } {
    const r = this.simulate(step, revertAt(this.flags.revert, step), seed, Math.min(PROBE_SECONDS, this.flags.seconds ?? PROBE_SECONDS));
    return { workload: r.workload, metrics: listMetrics(r) };
  }

  private simulate(step: number, reverted: readonly number[], seed: number, seconds: number | undefined): RunReport {
    const f = { ...this.flags, revert: [...reverted] };
    return runWorkload({
      workload: f.workload,
      spec: this.spec,
      args: this.args,
      scale: f.scale,
      topology: f.topology,
      step,
      revert: f.revert,
      seconds,
      seed,
      sysctl: f.sysctl,
      thp: f.thp,
      cmdline: f.cmdline,
      schedFeatures: f.schedFeatures,
      features: buildFeatures({ step, forceNumaBalancingConfig: f.forceNumaBalancingConfig, schedDebug: f.schedDebug, revert: f.revert }),
      invocation: invocation(step, equivalentRun({ ...f, seconds }, step, seed, this.args)),
      onBoot: (k) => {
        for (const w of bootWarnings(k))
          if (!this.warned.has(w)) {
            this.warned.add(w);
            this.err(w);
          }
      },
    }).report;
  }
}

/** A progress bar over runs on a TTY (stderr); does nothing otherwise. */
export function runProgress(enabled: boolean, total: number): { tick: (label: string) => void; stop: () => void; grow: (total: number) => void } {
  if (!enabled) return { tick: () => {}, stop: () => {}, grow: () => {} };
  const bar = new SingleBar({ format: "running [{bar}] {value}/{total} runs | {label}", hideCursor: true, stream: process.stderr });
  bar.start(total, 0, { label: "" });
  let done = 0;
  return {
    tick: (label) => {
      bar.update(++done, { label });
    },
    grow: (t) => {
      bar.setTotal(Math.max(t, done));
    },
    stop: () => {
      bar.stop();
    },
  };
}

/** --seeds: a comma-separated list of seeds, e.g. 1,2,3. */
/** A metric value as bisect logs and review deltas print it: integers whole, others to 5 decimals, n/a and absent by name. */
export const showMetric = (v: MetricValue): string => formatMetric(v, (n) => (Number.isInteger(n) ? String(n) : String(Number(n.toFixed(5)))));
