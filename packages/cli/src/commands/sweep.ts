import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { parseTopology } from "@balancenuma/machine";
import { COMMON_METRICS, isCommonMetric } from "@balancenuma/workloads";
import { checkWorkloadName } from "../workload-options.js";
import { didYouMean } from "../did-you-mean.js";
import type { Io } from "../main.js";
import { CommandFailure, UsageError } from "../errors.js";
import { parseNames, parsePath, parseSampleEvery, parseScale, parseSeconds, parseThp } from "../options.js";
import { parseSeeds } from "./step-runs.js";
import { buildMatrix, cellKey, describeCell, parseMachines, parseShard, parseSteps, shardCells, type CellArgs, type Shard } from "./sweep/matrix.js";
import { runPool } from "./sweep/pool.js";
import { describeArgs, ensureDir, loadCells, readManifest, sameArgs, saveCell, writeManifest, type Manifest } from "./sweep/store.js";
import { DEFAULT_PLOT_METRICS, defaultPlotMetrics, writeOutputs } from "./sweep/outputs.js";
import { mergeSweeps } from "./sweep/merge.js";

interface SweepFlags {
  steps: number[];
  workloads: string[];
  machines: string[];
  seeds: number[];
  seconds?: number;
  scale?: number;
  sampleEvery?: number;
  thp: "always" | "madvise" | "never";
  jobs: number;
  shard?: Shard;
  out: string;
  metrics?: string[];
  yZero: boolean;
}

function parseJobs(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) throw new UsageError(`--jobs: '${v}' is not a number of worker threads; use 1 to 256`);
  return Number(v);
}

/** Plot metrics must exist in every report (workload scores and per-process metrics vary by cell). */
function checkMetrics(metrics: string[]): void {
  for (const m of metrics) if (!isCommonMetric(m) && !m.startsWith("score.")) throw new UsageError(`--metrics: '${m}' is not a metric${didYouMean(m, COMMON_METRICS)}; use names like elapsed, local_percent, numa_pages_migrated (docs/sweep.md lists them)`);
}

const metricsOption = (cmd: Command) =>
  cmd
    .option("--metrics <list>", `metrics to plot against the step (default ${DEFAULT_PLOT_METRICS.join(",")}; with --seconds, throughput_gb_s instead of elapsed)`, parseNames("metrics"))
    .option("--no-y-zero", "let the y axes of the metric plots start near the data instead of at zero");

export function registerSweep(program: Command, io: Io): void {
  metricsOption(
    program
      .command("sweep")
      .description("run a matrix of steps x workloads x machines x seeds in worker threads; results as JSON lines, CSV, SVG plots and an HTML report")
      .requiredOption("--out <dir>", "output directory (an interrupted sweep resumes from it)", parsePath)
      .option("--steps <list>", "steps: numbers and ranges, e.g. 0-49 or 0,26,49", parseSteps, parseSteps("0-49"))
      .option("--workloads <list>", "comma-separated built-in workloads", parseNames("workloads"), ["numa01", "numa01-threadlocal", "numa02", "numa02-smt"])
      .option("--machines <list>", "presets separated by commas, or topology specs separated by ';'", parseMachines, ["default"])
      .option("--seeds <list>", "comma-separated seeds", parseSeeds, [1])
      .option("--seconds <s>", "simulated seconds per run at most (default: each workload's own)", parseSeconds)
      .option("--scale <x>", "memory scale of the workloads (default: each workload's choice for the machine)", parseScale)
      .option("--sample-every <s>", "simulated seconds between memory samples of the memory-over-time plots (default 1)", parseSampleEvery)
      .option("--thp <mode>", "transparent_hugepage/enabled: always, madvise or never", parseThp, "always")
      .option("-j, --jobs <n>", "worker threads (default: the number of CPUs)", String(availableParallelism()))
      .option("--shard <i/n>", "run only the i-th of n shares of the matrix (join them with 'balancenuma merge')", parseShard),
  ).action((o: Omit<SweepFlags, "jobs"> & { jobs: string }) => sweep({ ...o, jobs: parseJobs(o.jobs) }, io));

  metricsOption(
    program
      .command("merge")
      .description("join the output directories of sweep shards into one (results, CSV, plots, report)")
      .argument("<dirs...>", "sweep output directories", (v: string, prev: string[] = []) => [...prev, parsePath(v)])
      .requiredOption("--out <dir>", "output directory of the merged sweep", parsePath),
  ).action((dirs: string[], o: { out: string; metrics?: string[]; yZero: boolean }) => {
    checkMetrics(o.metrics ?? []);
    const { cells, missing } = mergeSweeps(dirs, o.out, o.metrics, { yFromZero: o.yZero });
    io.out(`merged ${dirs.length} director${dirs.length === 1 ? "y" : "ies"}: ${cells} cells into ${o.out}${missing ? ` (${missing} cells of the matrix are missing)` : ""}\n`);
    io.out(`report: ${resolve(o.out, "report", "index.html")}\n`);
  });
}

function sweep(o: SweepFlags, io: Io): void {
  for (const w of o.workloads) checkWorkloadName(w);
  for (const m of o.machines) parseTopology(m);
  checkMetrics(o.metrics ?? []);
  const args: CellArgs = {
    thp: o.thp,
    ...(o.seconds === undefined ? {} : { seconds: o.seconds }),
    ...(o.scale === undefined ? {} : { scale: o.scale }),
    ...(o.sampleEvery === undefined ? {} : { sampleEvery: o.sampleEvery }),
  };
  const manifest: Manifest = { steps: o.steps, workloads: o.workloads, machines: o.machines, seeds: o.seeds, args };
  const old = readManifest(o.out);
  if (old && !sameArgs(old.args, args))
    throw new UsageError(`'${o.out}' holds a sweep run with ${describeArgs(old.args)}; resume it with the same options or use another --out`);
  const done = loadCells(o.out, args);
  ensureDir(resolve(o.out, "cells"));
  writeManifest(o.out, manifest);

  const cells = shardCells(buildMatrix(o.steps, o.workloads, o.machines, o.seeds), o.shard);
  const todo = cells.filter((c) => !done.has(cellKey(c)));
  const start = Date.now();
  const bar = io.isTTY ? new SingleBar({ format: "sweep [{bar}] {value}/{total} runs | {eta_formatted} left | {last}", hideCursor: true, stream: process.stderr }) : null;
  bar?.start(todo.length, 0, { last: "" });
  let stopped: UsageError | undefined;
  const failed: string[] = [];
  let finished = 0;
  runPool(todo.map((cell) => ({ cell, args })), o.jobs, (r) => {
    const where = r.cell ? `${describeCell(r.cell)}: ` : "";
    if ("error" in r && r.usage) {
      stopped = new UsageError(`${where}${r.error}`);
      return false;
    }
    // A cell that failed (an internal error, its worker thread died) is left without a file: the
    // sweep goes on, says so at the end, and a rerun retries it.
    if ("error" in r) failed.push(`${where}${r.error}`);
    else saveCell(o.out, r.line, r.cell);
    bar?.update(++finished, { last: r.cell ? describeCell(r.cell) : "" });
    return true;
  });
  bar?.stop();
  if (stopped) throw stopped;
  const all = loadCells(o.out, args);
  writeOutputs(o.out, manifest, cells.flatMap((c) => all.get(cellKey(c)) ?? []), o.metrics ?? defaultPlotMetrics(args), { yFromZero: o.yZero });
  const wall = ((Date.now() - start) / 1000).toFixed(1);
  const ran = `${todo.length - failed.length} run now${failed.length ? `, ${failed.length} failed,` : ""} and ${cells.length - todo.length} already done`;
  io.out(`sweep: ${cells.length} run${cells.length === 1 ? "" : "s"}${o.shard ? ` (shard ${o.shard.index}/${o.shard.count})` : ""}, ${ran}, in ${wall} s wall with ${o.jobs} worker thread${o.jobs === 1 ? "" : "s"}\n`);
  io.out(`results: ${resolve(o.out, "results.jsonl")}, ${resolve(o.out, "results.csv")}\nreport: ${resolve(o.out, "report", "index.html")}\n`);
  if (failed.length) {
    const shown = failed.slice(0, 3).join("; ") + (failed.length > 3 ? `; and ${failed.length - 3} more` : "");
    throw new CommandFailure(`${failed.length} of ${todo.length} runs failed and have no results (rerun the same command to retry them): ${shown}`);
  }
}
