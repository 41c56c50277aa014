import { reportMetrics } from "@balancenuma/workloads";
import type { Result } from "./store.js";

const field = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** results.csv: one row per cell, the cell's coordinates, then one column per metric (metrics.ts); empty where a cell has no such metric. */
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
    lines.push([String(r.step), r.workload, r.machine, String(r.seed), ...names.map((n) => (m.has(n) ? String(m.get(n)) : ""))].map(field).join(","));
  });
  return lines.join("\n") + "\n";
}
