import { availableParallelism } from "node:os";
import { InvalidArgumentError, type Command } from "commander";
import type { Io } from "../io.js";
import { parseNames, parsePath, parseRevert, parseSampleEvery, parseScale, parseSeconds, parseSeeds, parseThp } from "../options.js";
import { parseMachines, parseShard, parseSteps } from "./sweep/matrix.js";
import { SHARD_COUNT_ENV } from "./sweep/shard-env.js";
import { DEFAULT_LOCK_SECONDS, parseQueueUrl } from "./sweep/queue.js";
import { DEFAULT_PLOT_METRICS } from "./sweep/plot-metrics.js";
import type { SweepFlags } from "./sweep.js";

function parseShardCount(v: string): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new InvalidArgumentError(`'${v}' is not a number of shares; use a whole number from 1`);
  return Number(v);
}

function parseLockSeconds(v: string): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1 || Number(v) > 3600)
    throw new InvalidArgumentError(`'${v}' is not a lock time; use whole seconds from 1 to 3600`);
  return Number(v);
}

const metricsOption = (cmd: Command) =>
  cmd
    .option(
      "--metrics <list>",
      `metrics to plot against the step (default ${DEFAULT_PLOT_METRICS.join(",")}; with --seconds, throughput_gb_s instead of elapsed)`,
      parseNames("metrics"),
    )
    .option("--no-y-zero", "let the y axes of the metric plots start near the data instead of at zero");

/** `balancenuma sweep`, `worker` and `merge`'s options; the sweep (sweep.ts) loads when one runs. */
export function registerSweep(program: Command, io: Io): void {
  metricsOption(
    program
      .command("sweep")
      .description(
        "run a matrix of steps x workloads x machines x seeds in worker threads (or on queue workers); results as JSON lines, CSV, SVG plots and an HTML report",
      )
      .requiredOption("--out <dir>", "output directory (an interrupted sweep resumes from it)", parsePath)
      .option("--steps <list>", "steps: numbers and ranges, e.g. 0-49 or 0,26,49", parseSteps, parseSteps("0-49"))
      .option(
        "--revert <steps>",
        "build every kernel without these steps (those it has), numbers or keys separated by commas, e.g. 40",
        parseRevert,
        [] as number[],
      )
      .option("--workloads <list>", "comma-separated built-in workloads", parseNames("workloads"), ["numa01", "numa01-threadlocal", "numa02", "numa02-smt"])
      .option("--machines <list>", "presets separated by commas, or topology specs separated by ';'", parseMachines, ["default"])
      .option("--seeds <list>", "comma-separated seeds", parseSeeds, [1])
      .option("--seconds <s>", "simulated seconds per run at most (default: each workload's own)", parseSeconds)
      .option("--scale <x>", "memory scale of the workloads (default: each workload's choice for the machine)", parseScale)
      .option("--sample-every <s>", "simulated seconds between memory samples of the memory-over-time plots (default 1)", parseSampleEvery)
      .option("--thp <mode>", "transparent_hugepage/enabled: always, madvise or never", parseThp, "always")
      .option("-j, --jobs <n>", "worker threads (default: the number of CPUs)", String(availableParallelism()))
      .option(
        "--shard <i/n>",
        "run only the i-th of n shares of the matrix (join them with 'balancenuma merge'); default: from a Slurm job array or Kubernetes Indexed Job",
        parseShard,
      )
      .option("--shard-count <n>", `number of shares for a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (default: $${SHARD_COUNT_ENV})`, parseShardCount)
      .option("--queue <url>", "run the cells on 'balancenuma worker' processes through the BullMQ queue in this Redis (redis://HOST:PORT/N)", parseQueueUrl),
  ).action(async (o: Omit<SweepFlags, "jobs"> & { jobs: string }, cmd: Command) => {
    (await import("./sweep.js")).sweepCommand(o, cmd, io);
  });

  program
    .command("worker")
    .description("run the cells of sweeps queued with 'balancenuma sweep --queue', until stopped")
    .requiredOption("--queue <url>", "the Redis the sweep queued its cells in (redis://HOST:PORT/N)", parseQueueUrl)
    .option("-c, --concurrency <n>", "cells run at once, each on its own thread (default: the number of CPUs)", String(availableParallelism()))
    .option(
      "--lock-seconds <s>",
      `how long a cell stays locked to this worker without renewal: the cells of a worker that died are run elsewhere after at most twice this (default ${DEFAULT_LOCK_SECONDS})`,
      parseLockSeconds,
      DEFAULT_LOCK_SECONDS,
    )
    .action(async (o: { queue: string; concurrency: string; lockSeconds: number }) => {
      (await import("./sweep.js")).workerCommand(o, io);
    });

  metricsOption(
    program
      .command("merge")
      .description("join the output directories of sweep shards into one (results, CSV, plots, report)")
      .argument("<dirs...>", "sweep output directories", (v: string, prev?: string[]) => [...(prev ?? []), parsePath(v)])
      .requiredOption("--out <dir>", "output directory of the merged sweep", parsePath),
  ).action(async (dirs: string[], o: { out: string; metrics?: string[]; yZero: boolean }) => {
    (await import("./sweep.js")).mergeCommand(dirs, o, io);
  });
}
