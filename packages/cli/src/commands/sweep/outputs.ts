import { join } from "node:path";
import { convergencePlot, memoryPlot, metricPlot, type MetricPlotOptions } from "../../report/run-plots.js";
import { cellFileName } from "./matrix.js";
import { resultsCsv } from "../../report/csv.js";
import { renderReport, type Plot } from "../../report/html.js";
import { writeFileAtomic } from "../../atomic-write.js";
import { ensureDir, sortResults, type Manifest, type Result } from "./store.js";

// Derived files are rewritten from cells/ whenever needed, so they are atomic but not fsynced.
/** Everything derived from the finished cells: results.jsonl, results.csv, plots/ and report/, in the output order. */
export function writeOutputs(
  dir: string,
  manifest: Manifest,
  cells: { line: string; result: Result }[],
  metrics: string[],
  plot: MetricPlotOptions = {},
): void {
  const rows = sortResults(cells);
  const results = rows.map((r) => r.result);
  writeFileAtomic(join(dir, "results.jsonl"), rows.map((r) => r.line + "\n").join(""));
  writeFileAtomic(join(dir, "results.csv"), resultsCsv(results));
  ensureDir(join(dir, "plots"));
  ensureDir(join(dir, "report"));
  const metricPlots: Plot[] = manifest.machines.flatMap((machine) =>
    metrics.map((metric) => ({
      file: `${metric}-${encodeURIComponent(machine)}.svg`,
      svg: metricPlot(
        results.filter((r) => r.machine === machine).map((r) => r.report),
        metric,
        machine,
        plot,
      ),
    })),
  );
  const cellPlots: Plot[][] = results.map((r) => {
    const base = cellFileName(r).replace(/\.json$/, "");
    return [
      { file: `${base}-memory.svg`, svg: memoryPlot(r.report) },
      { file: `${base}-convergence.svg`, svg: convergencePlot(r.report) },
    ];
  });
  for (const p of [...metricPlots, ...cellPlots.flat()]) writeFileAtomic(join(dir, "plots", p.file), p.svg);
  for (const [name, html] of renderReport({ manifest, results, metricPlots, cellPlots })) writeFileAtomic(join(dir, "report", name), html);
}
