// Only commander and light modules load at start-up (help, listings and flag errors need no more;
// test/startup.test.ts checks it): each command's action imports its implementation, and with it
// the model, when it runs.
import { Command, CommanderError } from "commander";
import type { Io } from "./io.js";
import { PRESETS } from "@balancenuma/machine";
import { SERIES, BASELINE_TITLE } from "@balancenuma/series/steps";
import { didYouMean } from "@balancenuma/workloads/names";
import { parseSampleEvery, parseSeed, parseStep } from "./options.js";
import { addWorkloadOptions, checkWorkloadFlags } from "./workload-options.js";
import type { RunFlags } from "./run-command.js";
import { CommandFailure, OUTPUT_CLOSED_EXIT, OutputClosed, UsageError, isUsageError } from "./errors.js";
import { registerBisect } from "./commands/bisect-command.js";
import { registerReview } from "./commands/review-command.js";
import { registerCompare } from "./commands/compare-command.js";
import { addViewOptions, checkViewFlags } from "./commands/view-options.js";
import { registerSweep } from "./commands/sweep-command.js";

/**
 * Build the `balancenuma` command line. `workloadArgs` are the words after `--`: the workload's
 * own options (`balancenuma run -w perf-numa-mem -- -p 2 -t 4 -P 512`).
 */
export function buildProgram(io: Io, workloadArgs: string[] = [], argv: readonly string[] = []): Command {
  const program = new Command("balancenuma")
    .description("Linux Automatic NUMA Balancing (balancenuma v11, Linux 3.8) as a deterministic simulation")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => {} });

  addViewOptions(
    addWorkloadOptions(
      program.command("run", { isDefault: true }).description("run a workload on a simulated machine with a kernel built at a step of the series"),
    ),
  )
    .option("-s, --step <n|key>", "series step the kernel is built at (0 = Linux 3.7-rc6)", parseStep, 0)
    .option("--seed <n>", "seed for every random choice in the run", parseSeed, 1)
    .option("--sample-every <s>", "simulated seconds between memory and convergence samples (default 1)", parseSampleEvery)
    .option("--json", "print the full report as JSON (no progress bar)", false)
    .option(
      "--profile",
      "add the system time by kernel path (hinting faults, scanner, migration copies, TLB IPIs, lock waits, ...) to the report; --json always has it",
      false,
    )
    .option("--check", "check the kernel's invariants every 4 ms of simulated time (a self-test of the model; runs take several times longer)", false)
    .addHelpText("after", "\nA workload's own options follow '--', e.g.: balancenuma run -w perf-numa-mem -- -p 2 -t 4 -P 512 -s 5")
    .addHelpText("after", "\nWith no option at all, 'run' runs remote-memory at step 0 and at step 49 and prints them side by side.")
    .action(async (o: Omit<RunFlags, "progress" | "args">, cmd: Command) => {
      // No option at all (`pnpm start`): show the point of the series. Any option runs one kernel.
      if (workloadArgs.length === 0 && cmd.options.every((opt) => cmd.getOptionValueSource(opt.attributeName()) !== "cli")) {
        (await import("./first-run.js")).firstRun(io.out, io.isTTY);
        return;
      }
      checkWorkloadFlags(o, cmd);
      checkViewFlags(o);
      await (
        await import("./run-command.js")
      ).runCommand({ ...o, args: workloadArgs, progress: io.isTTY && !o.json, commandLine: ["balancenuma", ...argv] }, io.out, io.err);
    });

  program
    .command("series")
    .description("list the steps of the series")
    .action(() => {
      io.out(`  0  baseline  ${BASELINE_TITLE}\n`);
      for (const s of SERIES) io.out(`${String(s.number).padStart(3)}  ${s.key}  ${s.title} (${s.author})\n`);
    });

  program
    .command("workloads")
    .description("list the built-in workloads")
    .action(async () => {
      const { BUILTIN_WORKLOADS } = await import("@balancenuma/workloads");
      const width = Math.max(...BUILTIN_WORKLOADS.map((w) => w.name.length)) + 2;
      for (const w of BUILTIN_WORKLOADS) io.out(`${w.name.padEnd(width)}${w.description}\n`);
    });

  program
    .command("machines")
    .description("list the machine presets")
    .action(() => {
      for (const p of PRESETS) io.out(`${p.name.padEnd(8)} ${p.description}\n`);
    });
  registerBisect(program, io, workloadArgs);
  registerReview(program, io);
  registerCompare(program, io, workloadArgs);
  registerSweep(program, io);
  return program;
}

/**
 * `run` is the default command and takes no arguments, so a first word that is not an option must
 * name a command: an unknown one is a usage error suggesting the nearest, not "too many arguments".
 */
function checkCommand(program: Command, word: string | undefined): void {
  if (word === undefined || word.startsWith("-")) return;
  const names = [...program.commands.map((c) => c.name()), "help"];
  if (!names.includes(word)) throw new UsageError(`unknown command '${word}'${didYouMean(word, names)}; commands: ${names.join(", ")}`);
}

/** Run the CLI; resolves to the exit code (0 ok, 1 failure, 2 usage error, 141 output closed). */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const dd = argv.indexOf("--");
    const [own, rest] = dd < 0 ? [argv, []] : [argv.slice(0, dd), argv.slice(dd + 1)];
    const program = buildProgram(io, rest, argv);
    checkCommand(program, own[0]);
    await program.parseAsync(own, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof OutputClosed) {
      if (e.code === "EPIPE") return OUTPUT_CLOSED_EXIT;
      if (e.stream === "standard output") io.err(`balancenuma: ${e.message}\n`);
      return 1;
    }
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      // Commander puts its suggestion on a line of its own: one line, as every usage error is.
      io.err(`balancenuma: ${e.message.replace(/^error: /, "").replace(/\n\(Did you mean (.*)\?\)$/, " (did you mean $1?)")}\n`);
      return 2;
    }
    if (isUsageError(e)) {
      // A workload file's problems come one per line; each line gets the prefix.
      for (const line of e.message.split("\n")) io.err(`balancenuma: ${line}\n`);
      return 2;
    }
    if (e instanceof Error && e.name === "InvariantError") {
      io.err(`balancenuma: --check: ${e.message}; this is a bug in the model, please report it with the command line\n`);
      return 1;
    }
    if (e instanceof CommandFailure) {
      io.err(`balancenuma: ${e.message}\n`);
      return 1;
    }
    io.err(`balancenuma: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.BALANCENUMA_DEBUG) io.err(`${(e as Error).stack}\n`);
    return 1;
  }
}
