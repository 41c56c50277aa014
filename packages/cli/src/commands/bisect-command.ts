import type { Command } from "commander";
import { SERIES } from "@balancenuma/series/steps";
import type { Io } from "../io.js";
import { parseNames, parseSeconds, parseSeeds, parseStep } from "../options.js";
import { addWorkloadOptions } from "../workload-options.js";
import { DEFAULT_JUDGE_TIMEOUT } from "./judge.js";
import type { BisectFlags } from "./bisect.js";

/** `balancenuma bisect`'s options; the search (bisect.ts) loads when it runs. */
export function registerBisect(program: Command, io: Io, workloadArgs: string[]): void {
  addWorkloadOptions(
    program
      .command("bisect")
      .description("find the first step of the series at which a behaviour appears (like git bisect run)")
      .argument("[predicate...]", "the behaviour, e.g. 'numa_pages_migrated > 0' or 'system > 1.5x step 0' (docs/bisect.md)"),
  )
    .option("--good <n|key>", "a step without the behaviour (default 0)", parseStep, 0)
    .option("--bad <n|key>", `a step with the behaviour (default ${SERIES.length})`, parseStep, SERIES.length)
    .option("--seeds <list>", "run each step with each seed and take the majority, e.g. 1,2,3", parseSeeds, [1])
    .option("--run <command>", "judge each run with a command instead of a predicate: JSON report on stdin, exit 0 good, 1-127 bad, 125 skip")
    .option(
      "--run-timeout <s>",
      "seconds a --run judge may take; one still running is killed and its step counted as skipped (125)",
      parseSeconds,
      DEFAULT_JUDGE_TIMEOUT,
    )
    .option("--show <metrics>", "comma-separated metrics to print for each step (default: the predicate's)", parseNames("metrics"))
    .option("--list-metrics", "list the metric names every run has, then exit", false)
    .option("--json", "print the result as JSON (no log, no progress bar)", false)
    .addHelpText("after", "\nA workload's own options follow '--'. Exit codes: 0 found, 1 no change between --good and --bad (or undecidable), 2 bad input.")
    .action(async (words: string[], o: BisectFlags, cmd: Command) => {
      await (await import("./bisect.js")).bisectCommand(words, o, cmd, io, workloadArgs);
    });
}
