import { SYS_PATHS } from "@balancenuma/include-linux";
import type { RunReport } from "@balancenuma/workloads";

/**
 * `run --profile`: the system time by kernel path, as `perf report` lists a kernel profile: the
 * paths that took time, most first, each in ns, seconds and percent of the system time.
 */
export function profileTable(r: RunReport): string[] {
  const total = Object.values(r.systemProfile).reduce((a, b) => a + b, 0);
  const rows = SYS_PATHS.map((p) => ({ ...p, ns: r.systemProfile[p.name] ?? 0 }))
    .filter((p) => p.ns > 0)
    .sort((a, b) => b.ns - a.ns);
  const head = ["metric", "ns", "s", "% sys", "kernel path"];
  const body = rows.map((p) => [`sys_${p.name}`, String(p.ns), (p.ns / 1e9).toFixed(6), ((100 * p.ns) / total).toFixed(2), p.what]);
  const foot = ["system", String(total), (total / 1e9).toFixed(6), total > 0 ? "100.00" : "n/a", "all of the above"];
  const all = [head, ...body, foot];
  const w = head.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c === 0 || c === 4 ? cell.padEnd(w[c]) : cell.padStart(w[c])))
      .join("  ")
      .trimEnd();
  return [
    "System time by kernel path (like perf report; each a metric for bisect, compare and sweep):",
    ...(rows.length ? [head, ...body, foot].map((row) => `  ${line(row)}`) : ["  (no system time)"]),
  ];
}
