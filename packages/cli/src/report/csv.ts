import { ABSENT, reportMetrics, type MetricValue } from "@balancenuma/workloads";
import type { Result } from "../commands/sweep/store.js";

const field = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A CSV cell: the number, empty for n/a (a ratio of nothing), "absent" for a counter the step's kernel does not have. */
const csvValue = (v: MetricValue | undefined): string => (v === undefined || v === null ? "" : v === ABSENT ? ABSENT : String(v));

/**
 * results.csv: one row per cell, the cell's coordinates, then one column per metric (metrics.ts);
 * empty where a cell has no such metric or its value is n/a, "absent" where the kernel lacks the counter.
 */
export function resultsCsv(results: Result[]): string {
  const rows = results.map((r) => reportMetrics(r.report));
  const names: string[] = [];
  const seen = new Set<string>();
  for (const m of rows)
    for (const n of m.keys())
      if (!seen.has(n)) {
        seen.add(n);
        names.push(n);
      }
  const lines = [["step", "workload", "machine", "seed", ...names].map(field).join(",")];
  results.forEach((r, i) => {
    const m = rows[i];
    lines.push([String(r.step), r.workload, r.machine, String(r.seed), ...names.map((n) => csvValue(m.get(n)))].map(field).join(","));
  });
  return lines.join("\n") + "\n";
}
