import { hostname } from "node:os";
import { resolve } from "node:path";
import { SingleBar } from "cli-progress";
import { type Command } from "commander";
import { parseTopology } from "@balancenuma/machine";
import { COMMON_METRICS, isCommonMetric, didYouMean } from "@balancenuma/workloads";
import { checkWorkloadName } from "../workload-options.js";
import type { Io } from "../io.js";
import { CommandFailure, UsageError } from "../errors.js";
import { checkKernel, revertAt } from "../kernels.js";
import { buildMatrix, cellKey, describeCell, shardCells, type CellArgs, type Shard } from "./sweep/matrix.js";
import { runPool } from "./sweep/pool.js";
import type { Reply } from "./sweep/worker.js";
import { describeArgs, ensureDir, loadCells, readManifest, sameArgs, saveCell, writeManifest, type Manifest } from "./sweep/store.js";
import { writeOutputs } from "./sweep/outputs.js";
import { defaultPlotMetrics } from "./sweep/plot-metrics.js";
import { mergeSweeps } from "./sweep/merge.js";
import { chooseShard } from "./sweep/shard-env.js";
import { showQueueUrl } from "./sweep/queue.js";
import { SweepQueue, serveQueue } from "./sweep/queue-client.js";

export interface SweepFlags {
  steps: number[];
  revert: number[];
  workloads: string[];
  machines: string[];
  seeds: number[];
  seconds?: number;
  scale?: number;
  sampleEvery?: number;
  thp: "always" | "madvise" | "never";
  jobs: number;
  shard?: Shard;
  shardCount?: number;
  queue?: string;
  out: string;
  metrics?: string[];
  yZero: boolean;
}

function parseJobs(v: string, flag = "--jobs"): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) throw new UsageError(`${flag}: '${v}' is not a number of worker threads; use 1 to 256`);
  return Number(v);
}

/** Plot metrics must exist in every report (workload scores and per-process metrics vary by cell). */
function checkMetrics(metrics: string[]): void {
  for (const m of metrics)
    if (!isCommonMetric(m) && !m.startsWith("score."))
      throw new UsageError(
        `--metrics: '${m}' is not a metric${didYouMean(m, COMMON_METRICS)}; use names like elapsed, local_percent, numa_pages_migrated (docs/sweep.md lists them)`,
      );
}

export function sweepCommand(o: Omit<SweepFlags, "jobs"> & { jobs: string }, cmd: Command, io: Io): void {
  if (o.queue && cmd.getOptionValueSource("jobs") === "cli")
    throw new UsageError("--jobs sets local worker threads, and with --queue the workers run the cells; give each worker its --concurrency instead");
  sweep({ ...o, jobs: parseJobs(o.jobs) }, io);
}

export function workerCommand(o: { queue: string; concurrency: string; lockSeconds: number }, io: Io): void {
  const concurrency = parseJobs(o.concurrency, "--concurrency");
  serveQueue(o.queue, { concurrency, lockSeconds: o.lockSeconds, name: `${hostname()}:${process.pid}`, log: io.isTTY }, (line) => {
    io.err(`${line}\n`);
  });
}

export function mergeCommand(dirs: string[], o: { out: string; metrics?: string[]; yZero: boolean }, io: Io): void {
  checkMetrics(o.metrics ?? []);
  const { cells, missing } = mergeSweeps(dirs, o.out, o.metrics, { yFromZero: o.yZero });
  io.out(
    `merged ${dirs.length} director${dirs.length === 1 ? "y" : "ies"}: ${cells} cells into ${o.out}${missing ? ` (${missing} cells of the matrix are missing)` : ""}\n`,
  );
  io.out(`report: ${resolve(o.out, "report", "index.html")}\n`);
}

function sweep(o: SweepFlags, io: Io): void {
  for (const w of o.workloads) checkWorkloadName(w);
  for (const m of o.machines) parseTopology(m);
  checkMetrics(o.metrics ?? []);
  // The highest step's kernel leaves out every reverted step it has: if it can be built, all can.
  const top = Math.max(...o.steps);
  if (o.revert.length) checkKernel(top, revertAt(o.revert, top), `--revert ${o.revert.join(",")} (at step ${top})`);
  const chosen = chooseShard(o.shard, o.shardCount, process.env);
  const args: CellArgs = {
    thp: o.thp,
    ...(o.revert.length ? { revert: o.revert } : {}),
    ...(o.seconds === undefined ? {} : { seconds: o.seconds }),
    ...(o.scale === undefined ? {} : { scale: o.scale }),
    ...(o.sampleEvery === undefined ? {} : { sampleEvery: o.sampleEvery }),
  };
  const manifest: Manifest = { steps: o.steps, workloads: o.workloads, machines: o.machines, seeds: o.seeds, args };
  const old = readManifest(o.out);
  if (old && !sameArgs(old.args, args))
    throw new UsageError(`'${o.out}' holds a sweep run with ${describeArgs(old.args)}; resume it with the same options or use another --out`);
  const done = loadCells(o.out, args);
  const cells = shardCells(buildMatrix(o.steps, o.workloads, o.machines, o.seeds), chosen?.shard);
  const todo = cells.filter((c) => !done.has(cellKey(c)));
  // Connected before anything is written: an unreachable Redis is a usage error like the others.
  const queue = o.queue ? SweepQueue.open(o.queue) : undefined;
  const start = Date.now();
  const bar = io.isTTY
    ? new SingleBar({ format: "sweep [{bar}] {value}/{total} runs | {eta_formatted} left | {last}", hideCursor: true, stream: process.stderr })
    : null;
  let stopped: UsageError | undefined;
  const failed: string[] = [];
  try {
    ensureDir(resolve(o.out, "cells"));
    writeManifest(o.out, manifest);
    bar?.start(todo.length, 0, { last: o.queue ? `queued on ${showQueueUrl(o.queue)}; waiting for workers` : "" });
    let finished = 0;
    const jobs = todo.map((cell) => ({ cell, args }));
    const onReply = (r: Reply) => {
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
    };
    if (queue) queue.run(jobs, onReply);
    else runPool(jobs, o.jobs, onReply);
  } finally {
    bar?.stop();
    queue?.close();
  }
  if (stopped) throw stopped;
  const all = loadCells(o.out, args);
  writeOutputs(
    o.out,
    manifest,
    cells.flatMap((c) => all.get(cellKey(c)) ?? []),
    o.metrics ?? defaultPlotMetrics(args),
    { yFromZero: o.yZero },
  );
  const wall = ((Date.now() - start) / 1000).toFixed(1);
  const ran = `${todo.length - failed.length} run now${failed.length ? `, ${failed.length} failed,` : ""} and ${cells.length - todo.length} already done`;
  const shard = !chosen ? "" : ` (shard ${chosen.shard.index}/${chosen.shard.count}${chosen.from === "--shard" ? "" : ` from ${chosen.from}`})`;
  const where = o.queue ? `on the workers of ${showQueueUrl(o.queue)}` : `with ${o.jobs} worker thread${o.jobs === 1 ? "" : "s"}`;
  io.out(`sweep: ${cells.length} run${cells.length === 1 ? "" : "s"}${shard}, ${ran}, in ${wall} s wall ${where}\n`);
  io.out(`results: ${resolve(o.out, "results.jsonl")}, ${resolve(o.out, "results.csv")}\nreport: ${resolve(o.out, "report", "index.html")}\n`);
  if (failed.length) {
    const shown = failed.slice(0, 3).join("; ") + (failed.length > 3 ? `; and ${failed.length - 3} more` : "");
    throw new CommandFailure(`${failed.length} of ${todo.length} runs failed and have no results (rerun the same command to retry them): ${shown}`);
  }
}
