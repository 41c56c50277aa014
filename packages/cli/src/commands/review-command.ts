import type { Command } from "commander";
import type { Io } from "../io.js";
import { parseNames, parsePath, parseSeconds, parseSeed, parseThp } from "../options.js";
import { REVIEW_DEFAULTS, STANDARD_WORKLOADS } from "./review-defaults.js";
import type { ReviewFlags } from "./review.js";

/** `balancenuma review`'s options; the review (review.ts) loads when it runs. */
export function registerReview(program: Command, io: Io): void {
  program
    .command("review")
    .description("show one step as a reviewer needs it: changelog, gates, the code that reads them, behaviour delta, tests")
    .argument("[step]", "step number (1-49) or key")
    .option("--all", "review the whole series as one document (one workload per delta unless --workloads)", false)
    .option(
      "--workloads <list>",
      `comma-separated workloads for the behaviour delta (default ${STANDARD_WORKLOADS.join(",")}; with --all remote-memory)`,
      parseNames("workloads"),
    )
    .option("-t, --topology <spec>", "machine for the behaviour delta", REVIEW_DEFAULTS.topology)
    .option("--seconds <s>", "simulated seconds per delta run", parseSeconds, REVIEW_DEFAULTS.seconds)
    .option("--thp <mode>", "transparent_hugepage/enabled for the delta runs", parseThp, REVIEW_DEFAULTS.thp)
    .option("--seed <n>", "seed of the delta runs", parseSeed, REVIEW_DEFAULTS.seed)
    .option("--no-runs", "leave out the behaviour delta (no simulation)")
    .option("-o, --output <file>", "write the review to a file (atomically) instead of stdout", parsePath)
    .action(async (ref: string | undefined, o: ReviewFlags) => {
      (await import("./review.js")).reviewCommand(ref, o, io);
    });
}
