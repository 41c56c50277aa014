import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { SERIES, kernelLabel, stepKey, type KernelSpec } from "@balancenuma/series";
import { ABSENT, listMetrics, metricValue, slug, type RunReport } from "@balancenuma/workloads";
import type { Io } from "../io.js";
import { UsageError } from "../errors.js";
import { checkKernel, describeKernel, parseKernelArg, revertAt } from "../kernels.js";
import { checkWorkloadFlags, type WorkloadFlags } from "../workload-options.js";
import { checkMetricName, needsProbe } from "./predicate.js";
import { isObject, isRunReport } from "./saved-report.js";
import { StepRuns, runProgress } from "./step-runs.js";

export interface CompareFlags extends WorkloadFlags {
  seeds: number[];
  results?: string[];
  metrics?: string[];
}

/** One saved run: a line of a sweep's JSON-lines file, or a `run --json` report. */
interface SavedRun {
  step: number;
  workload: string;
  machine: string;
  seed: number;
  report: RunReport;
}

/** One column of the table: a kernel and its runs (one per seed). */
interface Column {
  kernel: KernelSpec;
  reports: RunReport[];
}

/** What leads the default metrics when a run was stopped by its time cap. */
const CAPPED_LEAD = ["throughput_gb_s", "touched_gb"];

const DEFAULT_METRICS = [
  "elapsed",
  "user",
  "system",
  "cpu_percent",
  "local_percent",
  "numa_hint_faults",
  "numa_hint_local_percent",
  "numa_pages_migrated",
  "autonuma_cost",
  "convergence",
];

export async function compareCommand(refs: string[], o: CompareFlags, cmd: Command, io: Io, workloadArgs: string[]): Promise<void> {
  // --revert applies to every kernel that has the step, on top of what its spec leaves out.
  const kernels = refs.map((ref) => {
    const k = parseKernelArg(ref);
    const reverted = [...new Set([...k.reverted, ...revertAt(o.revert, k.step)])];
    return reverted.length === k.reverted.length ? k : checkKernel(k.step, reverted, `'${ref}' with --revert ${o.revert.join(",")}`);
  });
  const labels = kernels.map(kernelLabel);
  if (new Set(labels).size !== labels.length) throw new UsageError("a kernel is named twice; name each kernel once");
  for (const m of o.metrics ?? []) checkMetricName(m);
  let columns: Column[];
  const workloadMetrics = (o.metrics ?? []).filter(needsProbe);
  const checkOn = (r: RunReport) => {
    for (const m of workloadMetrics) checkMetricName(m, { workload: r.workload, metrics: listMetrics(r) });
  };
  if (o.results) {
    columns = savedColumns(
      o.results.flatMap(loadResults),
      kernels,
      cmd.getOptionValueSource("workload") === "cli" ? o.workload : undefined,
      cmd.getOptionValueSource("topology") === "cli" ? o.topology : undefined,
    );
    columns.forEach((c) => {
      c.reports.forEach(checkOn);
    });
  } else {
    checkWorkloadFlags(o, cmd);
    if (kernels.length === 0)
      throw new UsageError("name the kernels to compare, e.g. 'balancenuma compare 30 49' or 'balancenuma compare 49 49-40', or give --results FILE");
    let progress = undefined as ReturnType<typeof runProgress> | undefined;
    const runs = await StepRuns.open(o, workloadArgs, (step, seed) => progress?.tick(`step ${step} seed ${seed}`), io.err);
    // Per-process and score metrics depend on the workload: check them on a short run first, and on each run.
    if (workloadMetrics.length) {
      const probe = runs.probeMetrics(kernels[0].step, o.seeds[0]);
      for (const m of workloadMetrics) checkMetricName(m, probe);
    }
    progress = runProgress(io.isTTY, kernels.length * o.seeds.length);
    columns = kernels.map((kernel) => ({ kernel, reports: o.seeds.map((seed) => runs.report(kernel.step, seed, kernel.reverted)) }));
    columns.forEach((c) => {
      c.reports.forEach(checkOn);
    });
    progress.stop();
  }
  const first = columns[0].reports[0];
  // A run stopped by its time cap is judged by the work it did: elapsed is the cap.
  const capped = columns.some((c) => c.reports.some((r) => (r.work as RunReport["work"] | undefined)?.capped));
  const metrics = o.metrics ?? [...(capped ? CAPPED_LEAD : []), ...DEFAULT_METRICS, ...Object.keys(first.score?.metrics ?? {}).map((n) => `score.${slug(n)}`)];
  io.out(
    `${first.workload}${first.args.length ? ` -- ${first.args.join(" ")}` : ""} on ${first.machine}, seeds ${[...new Set(columns.flatMap((c) => c.reports.map((r) => r.seed)))].join(",")}\n`,
  );
  for (const c of columns) if (c.kernel.reverted.length) io.out(`${kernelLabel(c.kernel)} is step ${describeKernel(c.kernel)}\n`);
  io.out(compareTable(columns, metrics));
}

/** The steps a saved report's kernel was built without (none in a report saved before ablations existed). */
const revertedOf = (r: RunReport): number[] => (r.config as Partial<RunReport["config"]> | undefined)?.reverted ?? [];
const kernelOf = (r: RunReport): KernelSpec => ({ step: r.step, reverted: revertedOf(r) });

/** Read saved runs: a single JSON report, or JSON lines of { step, workload, machine, seed, report }. */
function loadResults(path: string): SavedRun[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read results file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const asRun = (v: unknown, where: string): SavedRun => {
    const r = isObject(v) && "report" in v ? v.report : v;
    if (!isRunReport(r))
      throw new UsageError(`${where} is not a run report (from 'balancenuma run --json') nor a sweep line { step, workload, machine, seed, report }`);
    return { step: r.step, workload: r.workload, machine: r.machine, seed: r.seed, report: r };
  };
  const parse = (s: string, where: string): unknown => {
    try {
      return JSON.parse(s);
    } catch (e) {
      throw new UsageError(`${where} is not JSON: ${(e as Error).message}`);
    }
  };
  const trimmed = text.trim();
  if (trimmed === "") throw new UsageError(`results file '${path}' is empty`);
  // A pretty-printed report spans lines; a JSON-lines file has one object per line.
  if (trimmed.startsWith("{") && !trimmed.includes("}\n{")) {
    const one = (() => {
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        return undefined;
      }
    })();
    if (one !== undefined) return [asRun(one, `'${path}'`)];
  }
  return trimmed.split("\n").flatMap((l, i) => (l.trim() === "" ? [] : [asRun(parse(l, `'${path}' line ${i + 1}`), `'${path}' line ${i + 1}`)]));
}

function savedColumns(saved: SavedRun[], kernels: KernelSpec[], workload?: string, machine?: string): Column[] {
  const pick = saved.filter((s) => (workload === undefined || s.workload === workload) && (machine === undefined || s.machine === machine));
  if (pick.length === 0) throw new UsageError(`the results hold no runs${workload ? ` of ${workload}` : ""}${machine ? ` on ${machine}` : ""}`);
  for (const [field, what, flag] of [
    ["workload", "workloads", "--workload"],
    ["machine", "machines", "--topology"],
  ] as const) {
    const kinds = [...new Set(pick.map((s) => s[field]))];
    if (kinds.length > 1) throw new UsageError(`the results hold several ${what} (${kinds.join(", ")}); choose one with ${flag}`);
  }
  const label = (s: SavedRun) => kernelLabel(kernelOf(s.report));
  const have = [...new Map(pick.map((s) => [label(s), kernelOf(s.report)])).values()].sort(
    (a, b) => a.step - b.step || kernelLabel(a).localeCompare(kernelLabel(b)),
  );
  const want = kernels.length ? kernels : have;
  for (const k of want)
    if (!have.some((h) => kernelLabel(h) === kernelLabel(k)))
      throw new UsageError(`the results hold no run at step ${kernelLabel(k)}; they have steps ${have.map(kernelLabel).join(", ")}`);
  return want.map((kernel) => ({
    kernel,
    reports: pick
      .filter((s) => label(s) === kernelLabel(kernel))
      .sort((a, b) => a.seed - b.seed)
      .map((s) => s.report),
  }));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sample standard deviation (n - 1); 0 for a single run. */
const stddev = (xs: number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));

/** A column's statistic, or what stands for it when no run of the column has a number: "absent" or "n/a". */
type Stat = number | string;

const pct = (v: Stat, base: Stat) =>
  typeof v !== "number" ? "" : typeof base !== "number" ? "n/a" : base === 0 ? (v === 0 ? "0.00%" : "n/a") : `${((100 * (v - base)) / base).toFixed(2)}%`;
const cell = (v: Stat, p: string) => (typeof v === "number" ? `${v.toFixed(2)} (${p.padStart(8)})` : v);

/**
 * mmtests compare-kernels: a row per metric with each column's mean and its change from the first
 * column; with several seeds the spread follows, as the 2012 reports gave it: Min and Max (their
 * change from the first column's) and Stddev (its percentage relative to the column's mean). The
 * statistics are over the runs with a number; a column where no run has one shows "absent" (the
 * step's kernel has no such counter) or "n/a" (a ratio of nothing).
 */
function compareTable(columns: Column[], metrics: string[]): string {
  const multi = columns.some((c) => c.reports.length > 1);
  const rows: string[][] = [];
  const changeRow = (label: string, m: string, vs: Stat[]) => rows.push([label, m, ...vs.map((v) => cell(v, pct(v, vs[0])))]);
  for (const m of metrics) {
    const raw = columns.map((c) => c.reports.map((r) => metricValue(r, m)));
    const vals = raw.map((xs) => xs.filter((x): x is number => typeof x === "number"));
    const none = raw.map((xs) => (xs.every((x) => x === ABSENT) ? ABSENT : "n/a"));
    const stat = (f: (xs: number[]) => number): Stat[] => vals.map((xs, i) => (xs.length ? f(xs) : none[i]));
    const means = stat(mean);
    if (multi)
      changeRow(
        "Min",
        m,
        stat((xs) => Math.min(...xs)),
      );
    changeRow("Amean", m, means);
    if (multi) {
      rows.push([
        "Stddev",
        m,
        ...stat(stddev).map((sd, i) => {
          const mu = means[i];
          return typeof sd !== "number" || typeof mu !== "number" ? cell(sd, "") : cell(sd, mu === 0 ? "0.00%" : `${((100 * sd) / Math.abs(mu)).toFixed(2)}%`);
        }),
      ]);
      changeRow(
        "Max",
        m,
        stat((xs) => Math.max(...xs)),
      );
    }
  }
  const head1 = ["", "", ...columns.map((c) => `step ${kernelLabel(c.kernel)}`)];
  const head2 = ["", "", ...columns.map((c) => (c.kernel.step > SERIES.length ? "" : stepKey(c.kernel.step)))];
  const all = [head1, head2, ...rows];
  const w = head1.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return (
    all
      .map((r) =>
        r
          .map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i])))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}
