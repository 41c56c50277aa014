import type { RunReport } from "@balancenuma/workloads";
import { metricValue } from "@balancenuma/workloads";
import { lineChart, type Series } from "./svg.js";

const runName = (r: RunReport) => `${r.workload}, step ${r.step}, ${r.machine}, seed ${r.seed}`;

/** autonumabench's canonical plot: resident memory of each process on each node over time. */
export function memoryPlot(r: RunReport): string {
  const series: Series[] = [];
  const nodes = r.nodeFreeMiB.length;
  for (const p of r.processes)
    for (let n = 0; n < nodes; n++)
      series.push({
        name: `${p.comm} ${p.pid} node ${n}`,
        points: r.samples.filter((s) => (s.processes[p.pid]?.length ?? 0) > 0).map((s) => [s.seconds, s.processes[p.pid][n]]),
      });
  return lineChart({ title: `Per-node memory: ${runName(r)}`, xLabel: "simulated seconds", yLabel: "resident MiB", series });
}

/** mmtests' numa-convergence over time (1 = all recent hinting faults local). */
export function convergencePlot(r: RunReport): string {
  return lineChart({
    title: `NUMA convergence: ${runName(r)}`,
    xLabel: "simulated seconds",
    yLabel: "numa-convergence",
    yRange: [0, 1],
    series: [{ name: r.workload, points: r.convergence.flatMap((c): [number, number][] => (c.value === null ? [] : [[c.seconds, c.value]])) }],
  });
}

/**
 * A metric against the step, one line per workload: the mean over seeds, with the min-max spread
 * over seeds drawn around it; cells without the metric are left out.
 */
export function metricPlot(reports: RunReport[], metric: string, machine: string): string {
  const byWorkload = new Map<string, Map<number, number[]>>();
  for (const r of reports) {
    let v;
    try {
      v = metricValue(r, metric);
    } catch {
      continue;
    }
    if (typeof v !== "number") continue;
    const steps = byWorkload.get(r.workload) ?? new Map<number, number[]>();
    byWorkload.set(r.workload, steps);
    steps.set(r.step, [...(steps.get(r.step) ?? []), v]);
  }
  const series = [...byWorkload].map(([name, steps]) => {
    const sorted = [...steps].sort((a, b) => a[0] - b[0]);
    return {
      name,
      points: sorted.map(([s, vs]): [number, number] => [s, vs.reduce((a, b) => a + b, 0) / vs.length]),
      spread: sorted.map(([, vs]): [number, number] => [Math.min(...vs), Math.max(...vs)]),
    };
  });
  return lineChart({ title: `${metric} by step (${machine})`, xLabel: "step of the series", yLabel: metric, series });
}
