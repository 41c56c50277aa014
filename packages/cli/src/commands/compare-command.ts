import type { Command } from "commander";
import type { Io } from "../io.js";
import { parseNames, parsePath, parseSeeds } from "../options.js";
import { addWorkloadOptions } from "../workload-options.js";
import type { CompareFlags } from "./compare.js";

/** `balancenuma compare`'s options; the runs and the table (compare.ts) load when it runs. */
export function registerCompare(program: Command, io: Io, workloadArgs: string[]): void {
  addWorkloadOptions(
    program
      .command("compare")
      .description("compare steps (or saved results) metric by metric: mean, stddev over seeds and % change, as mmtests compare-kernels")
      .argument(
        "[kernels...]",
        "kernels to compare: steps (numbers or keys), or STEP-N[-M...] for a step without steps N, M (49-40); the first is the baseline of the % column",
      ),
  )
    .option("--seeds <list>", "run each step with each seed: a list and/or ranges, e.g. 1,2,3 or 1-10", parseSeeds, [1])
    .option("--results <file>", "compare saved runs instead (repeatable): a 'run --json' report or a sweep's JSON-lines file", (v: string, prev?: string[]) => [
      ...(prev ?? []),
      parsePath(v),
    ])
    .option("--metrics <list>", "comma-separated metrics (default: times, locality, NUMA counters and the workload's score)", parseNames("metrics"))
    .addHelpText("after", "\nA workload's own options follow '--'. With --results, --workload and --topology (if given) pick runs from the files.")
    .action(async (refs: string[], o: CompareFlags, cmd: Command) => {
      await (await import("./compare.js")).compareCommand(refs, o, cmd, io, workloadArgs);
    });
}
