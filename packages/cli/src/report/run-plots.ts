import { ABSENT, metricUnit, metricValue, type MetricValue, type RunReport } from "@balancenuma/workloads";
import { MARKERS, lineChart, type Point, type Series } from "./svg.js";

const runName = (r: RunReport) => `${r.workload}, step ${r.step}, ${r.machine}, seed ${r.seed}`;

/** Processes drawn in a memory plot (the largest first); the rest are named in a note. */
const MAX_PROCESSES = 8;
/** Dash patterns by node: node 0 solid, then dashed, dotted, dash-dotted. */
const NODE_DASH = ["", "7 3", "2 3", "9 3 2 3"];

/** autonumabench's canonical plot: resident memory of each process on each node over time. */
export function memoryPlot(r: RunReport): string {
  const nodes = r.nodeFreeMiB.length;
  const peak = (pid: number) => Math.max(0, ...r.samples.map((s) => (s.processes[pid] ?? []).reduce((a, b) => a + b, 0)));
  const withMemory = r.processes.filter((p) => peak(p.pid) > 0).sort((a, b) => peak(b.pid) - peak(a.pid) || a.pid - b.pid);
  const drawn = withMemory.slice(0, MAX_PROCESSES).sort((a, b) => a.pid - b.pid);
  let series: Series[] = drawn.flatMap((p, i) =>
    Array.from(
      { length: nodes },
      (_, n): Series => ({
        name: `${p.comm} pid ${p.pid}, node ${n}`,
        // Samples while the process lived: its line ends where it exited.
        points: r.samples.filter((s) => (s.processes[p.pid]?.length ?? 0) > 0).map((s): Point => [s.seconds, s.processes[p.pid][n]]),
        colour: i,
        dash: NODE_DASH[n % NODE_DASH.length],
        marker: MARKERS[n % MARKERS.length],
        // Lines drawn later are thinner: where two processes' lines coincide both stay visible.
        width: Math.min(6, 2 + 1.5 * (drawn.length - 1 - i)),
      }),
    ),
  );
  // Many processes on many nodes: leave out the lines that stay at zero.
  if (series.length > 16) series = series.filter((s) => s.points.some(([, y]) => (y ?? 0) > 0));
  const every = (r.config as RunReport["config"] | undefined)?.sampleEvery ?? 1;
  const left = withMemory.length - drawn.length;
  return lineChart({
    title: `Memory per node: ${runName(r)}`,
    xLabel: "simulated time (s)",
    yLabel: "resident memory (MiB)",
    series,
    note: `sampled every ${every} s; a line ends at its process's last sample before exit${left > 0 ? `; ${left} smaller process${left === 1 ? " is" : "es are"} not drawn (results.jsonl has them)` : ""}`,
  });
}

/** mmtests' numa-convergence over time (1 = all recent hinting faults local); no line before the first hinting faults. */
export function convergencePlot(r: RunReport): string {
  const none = r.convergence.every((c) => c.value === null);
  const gap = !none && r.convergence.some((c) => c.value === null);
  return lineChart({
    title: `NUMA convergence: ${runName(r)}`,
    xLabel: "simulated time (s)",
    yLabel: "numa-convergence (0-1, 1 = converged)",
    yRange: [0, 1],
    series: [{ name: r.workload, points: r.convergence.map((c): Point => [c.seconds, c.value]) }],
    note: none ? "no hinting faults in the run: convergence is n/a" : gap ? "no line before the first hinting faults: convergence is n/a there" : undefined,
  });
}

/** Options of the metric-by-step plots. */
export interface MetricPlotOptions {
  /** Start the y axis at zero (default true). */
  yFromZero?: boolean;
}

/**
 * A metric against the step, one series per workload: a marker at each step that was run (the mean
 * over seeds), lines only between neighbouring steps (no line across steps not run), the min-max
 * spread over seeds as a band and error bars. A step whose value is n/a leaves a gap; steps whose
 * kernel does not have the counter are shaded.
 */
export function metricPlot(reports: RunReport[], metric: string, machine: string, opts: MetricPlotOptions = {}): string {
  const byWorkload = new Map<string, Map<number, MetricValue[]>>();
  for (const r of reports) {
    let v: MetricValue;
    try {
      v = metricValue(r, metric);
    } catch {
      continue;
    }
    const steps = byWorkload.get(r.workload) ?? new Map<number, MetricValue[]>();
    byWorkload.set(r.workload, steps);
    steps.set(r.step, [...(steps.get(r.step) ?? []), v]);
  }
  const measured = [...new Set(reports.map((r) => r.step))].sort((a, b) => a - b);
  const all = [...byWorkload.values()].flatMap((steps) => [...steps]);
  const absent = measured.filter(
    (s) => all.some(([step]) => step === s) && all.filter(([step]) => step === s).every(([, vs]) => vs.every((v) => v === ABSENT)),
  );
  const naSteps = new Set<number>();
  const seeds = Math.max(1, ...all.map(([, vs]) => vs.length));
  const series = [...byWorkload].map(([name, steps], i): Series => {
    const sorted = [...steps].sort((a, b) => a[0] - b[0]);
    const numbers = sorted.map(([s, vs]): [number, number[]] => [s, vs.filter((v): v is number => typeof v === "number")]);
    for (const [s, vs] of numbers) if (vs.length === 0 && !absent.includes(s)) naSteps.add(s);
    return {
      name,
      points: numbers.map(([s, vs]): Point => [s, vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null]),
      spread: seeds > 1 ? numbers.map(([, vs]): [number, number] | null => (vs.length ? [Math.min(...vs), Math.max(...vs)] : null)) : undefined,
      marker: MARKERS[i % MARKERS.length],
      hollow: i % 2 === 1,
    };
  });
  const notes = [
    seeds > 1 ? `mean over ${seeds} seeds; band and bars: min-max` : "one seed",
    ...(naSteps.size ? [`no point at step ${[...naSteps].join(", ")}: n/a (a ratio of nothing)`] : []),
  ];
  return lineChart({
    title: `${metric} by step (${machine})`,
    xLabel: "step of the series (only the steps that were run)",
    yLabel: `${metric} (${metricUnit(metric)})`,
    series,
    xTicks: measured,
    joins: (a, b) => b - a === 1,
    yFromZero: opts.yFromZero ?? true,
    shaded: absent.length ? { xs: absent, label: "kernel lacks the counter", halfWidth: 0.5 } : undefined,
    note: notes.join("; "),
  });
}
