import { join, resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { buildMatrix, cellKey, describeCell } from "./matrix.js";
import { describeArgs, ensureDir, loadResultsFile, readManifest, sameArgs, saveCell, writeManifest, type Manifest, type Result } from "./store.js";
import { writeOutputs } from "./outputs.js";
import { defaultPlotMetrics } from "./plot-metrics.js";
import type { MetricPlotOptions } from "../../report/run-plots.js";

const union = <T>(lists: T[][], order: (a: T, b: T) => number = () => 0): T[] => [...new Set(lists.flat())].sort(order);

/**
 * Join sweep directories (shards of one matrix, or sweeps to combine) into `out`: their cells,
 * results.jsonl, CSV, plots and report. The same cell in two inputs must have the same result.
 */
export function mergeSweeps(dirs: string[], out: string, metrics?: string[], plot: MetricPlotOptions = {}): { cells: number; missing: number } {
  const inputs = dirs.map((dir) => {
    const m = readManifest(dir);
    if (!m) throw new UsageError(`'${dir}' is not a sweep directory (no sweep.json); give the --out directories of 'balancenuma sweep'`);
    const rows = loadResultsFile(join(dir, "results.jsonl"));
    const other = rows.find((r) => !sameArgs(r.result.args, m.args));
    if (other)
      throw new UsageError(
        `'${dir}' has ${describeCell(other.result)} run with ${describeArgs(other.result.args)}, but its sweep.json says ${describeArgs(m.args)}; merge only results run with the same options`,
      );
    return { dir, manifest: m, rows };
  });
  const first = inputs[0];
  for (const i of inputs.slice(1))
    if (!sameArgs(i.manifest.args, first.manifest.args))
      throw new UsageError(
        `'${i.dir}' was swept with ${describeArgs(i.manifest.args)} but '${first.dir}' with ${describeArgs(first.manifest.args)}; merge only sweeps run with the same options`,
      );
  const byKey = new Map<string, { line: string; result: Result; dir: string }>();
  for (const i of inputs)
    for (const row of i.rows) {
      const key = cellKey(row.result);
      const had = byKey.get(key);
      if (had && had.line !== row.line)
        throw new UsageError(
          `conflicting results for ${describeCell(row.result)} in '${had.dir}' and '${i.dir}'; they were not run from the same code and options`,
        );
      byKey.set(key, { ...row, dir: i.dir });
    }
  const ms = inputs.map((i) => i.manifest);
  const manifest: Manifest = {
    steps: union(
      ms.map((m) => m.steps),
      (a, b) => a - b,
    ),
    workloads: union(ms.map((m) => m.workloads)),
    machines: union(ms.map((m) => m.machines)),
    seeds: union(
      ms.map((m) => m.seeds),
      (a, b) => a - b,
    ),
    args: first.manifest.args,
  };
  const outDir = resolve(out);
  const same = inputs.find((i) => resolve(i.dir) === outDir);
  const old = readManifest(out);
  if (old && !same && !sameArgs(old.args, manifest.args))
    throw new UsageError(`'${out}' holds a sweep run with ${describeArgs(old.args)}; merge into another --out`);
  ensureDir(join(out, "cells"));
  writeManifest(out, manifest);
  const rows = [...byKey.values()];
  for (const r of rows) saveCell(out, r.line, r.result);
  writeOutputs(out, manifest, rows, metrics ?? defaultPlotMetrics(manifest.args), plot);
  const matrix = buildMatrix(manifest.steps, manifest.workloads, manifest.machines, manifest.seeds);
  return { cells: rows.length, missing: matrix.filter((c) => !byKey.has(cellKey(c))).length };
}
