import { Command, CommanderError, Option } from "commander";
import { PRESETS, TOPOLOGY_SYNTAX, parseTopology } from "@balancenuma/machine";
import { SERIES, BASELINE_TITLE } from "@balancenuma/series";
import { BUILTIN_WORKLOADS, findWorkload } from "@balancenuma/workloads";
import { collectSysctl, parseSeconds, parseSeed, parseStep, parseThp } from "./options.js";
import { runCommand, type RunFlags } from "./run-command.js";
import { isUsageError } from "./errors.js";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

/** Build the `balancenuma` command line. */
export function buildProgram(io: Io): Command {
  const program = new Command("balancenuma")
    .description("Linux Automatic NUMA Balancing (balancenuma v11, Linux 3.8) as a deterministic simulation")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => {} });

  program
    .command("run", { isDefault: true })
    .description("run a workload on a simulated machine with a kernel built at a step of the series")
    .addOption(new Option("-w, --workload <name>", `built-in workload (${BUILTIN_WORKLOADS.map((w) => w.name).join(", ")})`).default("remote-memory"))
    .option("-t, --topology <spec>", `machine: ${TOPOLOGY_SYNTAX}`, "default")
    .option("-s, --step <n|key>", "series step the kernel is built at (0 = Linux 3.7-rc6)", parseStep, 0)
    .option("--seconds <s>", "simulated seconds to run", parseSeconds, 10)
    .option("--seed <n>", "seed for every random choice in the run", parseSeed, 1)
    .option("--sysctl <name=value>", "set a sysctl at boot (repeatable), e.g. vm.min_free_kbytes=65536", collectSysctl, {})
    .option("--thp <mode>", "transparent_hugepage/enabled: always, madvise or never", parseThp, "always")
    .option("--cmdline <params>", "kernel command line, e.g. 'numa_balancing=disable' (from step 42)", "")
    .option("--sched-features <list>", "comma-separated writes to sched_features after boot, e.g. NO_NUMA,NUMA_FORCE", (v: string) => v.split(",").filter(Boolean), [] as string[])
    .option("--force-numa-balancing-config", "build with CONFIG_NUMA_BALANCING even where no architecture could select it (steps 13-25)", false)
    .option("--no-sched-debug", "build without CONFIG_SCHED_DEBUG (3.8 then never balances)")
    .option("--json", "print the full report as JSON (no progress bar)", false)
    .action((o: Omit<RunFlags, "progress">) => {
      parseTopology(o.topology);
      findWorkload(o.workload);
      runCommand({ ...o, progress: io.isTTY && !o.json }, io.out);
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
      for (const w of BUILTIN_WORKLOADS) io.out(`${w.name.padEnd(16)} ${w.description}\n`);
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
    buildProgram(io).parse(argv, { from: "user" });
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
