import { Command, CommanderError, Option } from "commander";
import { PRESETS, TOPOLOGY_SYNTAX, parseTopology } from "@balancenuma/machine";
import { SERIES, BASELINE_TITLE } from "@balancenuma/series";
import { BUILTIN_WORKLOADS, findWorkload } from "@balancenuma/workloads";
import { collectSysctl, parseScale, parseSeconds, parseSeed, parseStep, parseThp } from "./options.js";
import { runCommand, type RunFlags } from "./run-command.js";
import { UsageError, isUsageError } from "./errors.js";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

/**
 * Build the `balancenuma` command line. `workloadArgs` are the words after `--`: the workload's
 * own options (`balancenuma run -w perf-numa-mem -- -p 2 -t 4 -P 512`).
 */
export function buildProgram(io: Io, workloadArgs: string[] = []): Command {
  const program = new Command("balancenuma")
    .description("Linux Automatic NUMA Balancing (balancenuma v11, Linux 3.8) as a deterministic simulation")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => {} });

  program
    .command("run", { isDefault: true })
    .description("run a workload on a simulated machine with a kernel built at a step of the series")
    .addOption(new Option("-w, --workload <name>", "built-in workload ('balancenuma workloads' lists them)").default("remote-memory"))
    .option("-f, --workload-file <path>", "run a workload file (JSON or YAML, see docs/workloads.md) instead of a built-in")
    .option("--scale <x>", "memory scale of the workload: 1 = the original sizes (default: the workload's choice for the machine)", parseScale)
    .option("-t, --topology <spec>", `machine: ${TOPOLOGY_SYNTAX}`, "default")
    .option("-s, --step <n|key>", "series step the kernel is built at (0 = Linux 3.7-rc6)", parseStep, 0)
    .option("--seconds <s>", "simulated seconds to run at most (default: the workload's own; 10 for remote-memory)", parseSeconds)
    .option("--seed <n>", "seed for every random choice in the run", parseSeed, 1)
    .option("--sysctl <name=value>", "set a sysctl at boot (repeatable), e.g. vm.min_free_kbytes=65536", collectSysctl, {})
    .option("--thp <mode>", "transparent_hugepage/enabled: always, madvise or never", parseThp, "always")
    .option("--cmdline <params>", "kernel command line, e.g. 'numa_balancing=disable' (from step 42)", "")
    .option("--sched-features <list>", "comma-separated writes to sched_features after boot, e.g. NO_NUMA,NUMA_FORCE", (v: string) => v.split(",").filter(Boolean), [] as string[])
    .option("--force-numa-balancing-config", "build with CONFIG_NUMA_BALANCING even where no architecture could select it (steps 13-25)", false)
    .option("--no-sched-debug", "build without CONFIG_SCHED_DEBUG (3.8 then never balances)")
    .option("--json", "print the full report as JSON (no progress bar)", false)
    .addHelpText("after", "\nA workload's own options follow '--', e.g.: balancenuma run -w perf-numa-mem -- -p 2 -t 4 -P 512 -s 5")
    .action((o: Omit<RunFlags, "progress" | "args">, cmd: Command) => {
      parseTopology(o.topology);
      if (o.workloadFile !== undefined && cmd.getOptionValueSource("workload") === "cli")
        throw new UsageError("give either --workload or --workload-file, not both");
      if (o.workloadFile === undefined) findWorkload(o.workload);
      runCommand({ ...o, args: workloadArgs, progress: io.isTTY && !o.json }, io.out);
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
    .action(() => {
      const width = Math.max(...BUILTIN_WORKLOADS.map((w) => w.name.length)) + 2;
      for (const w of BUILTIN_WORKLOADS) io.out(`${w.name.padEnd(width)}${w.description}\n`);
    });

  program
    .command("machines")
    .description("list the machine presets")
    .action(() => {
      for (const p of PRESETS) io.out(`${p.name.padEnd(8)} ${p.description}\n`);
    });
  return program;
}

/** Run the CLI; returns the exit code (0 ok, 1 failure, 2 usage error). */
export function main(argv: string[], io: Io): number {
  try {
    const dd = argv.indexOf("--");
    const [own, rest] = dd < 0 ? [argv, []] : [argv.slice(0, dd), argv.slice(dd + 1)];
    buildProgram(io, rest).parse(own, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      io.err(`balancenuma: ${e.message.replace(/^error: /, "")}\n`);
      return 2;
    }
    if (isUsageError(e)) {
      io.err(`balancenuma: ${e.message}\n`);
      return 2;
    }
    io.err(`balancenuma: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.BALANCENUMA_DEBUG) io.err(`${(e as Error).stack}\n`);
    return 1;
  }
}
