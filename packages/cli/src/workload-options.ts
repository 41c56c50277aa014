import { Command, Option } from "commander";
import { TOPOLOGY_SYNTAX, parseTopology } from "@balancenuma/machine";
import { BUILTIN_WORKLOAD_NAMES, didYouMean } from "@balancenuma/workloads/names";
import { collectSysctl, parsePath, parseRevert, parseScale, parseSeconds, parseThp } from "./options.js";
import { UsageError } from "./errors.js";

/** The flags that say what to run and on what machine, the same for every step (run, bisect, compare, sweep). */
export interface WorkloadFlags {
  workload: string;
  workloadFile?: string;
  scale?: number;
  topology: string;
  seconds?: number;
  sysctl: Record<string, number>;
  thp: "always" | "madvise" | "never";
  cmdline: string;
  schedFeatures: string[];
  forceNumaBalancingConfig: boolean;
  schedDebug: boolean;
  /** Steps left out of every kernel run (an ablation), ascending; those above a kernel's step do not apply to it. */
  revert: number[];
}

/** Add the workload and machine options (everything `run` takes except --step, --seed and --json). */
export function addWorkloadOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("-w, --workload <name>", "built-in workload ('balancenuma workloads' lists them)").default("remote-memory"))
    .option("-f, --workload-file <path>", "run a workload file (JSON or YAML, see docs/workloads.md) instead of a built-in", parsePath)
    .option("--scale <x>", "memory scale of the workload: 1 = the original sizes (default: the workload's choice for the machine)", parseScale)
    .option("-t, --topology <spec>", `machine: ${TOPOLOGY_SYNTAX}`, "default")
    .option("--seconds <s>", "simulated seconds to run at most (default: the workload's own; 10 for remote-memory)", parseSeconds)
    .option("--sysctl <name=value>", "set a sysctl at boot (repeatable), e.g. vm.min_free_kbytes=65536", collectSysctl, {})
    .option("--thp <mode>", "transparent_hugepage/enabled: always, madvise or never", parseThp, "always")
    .option("--cmdline <params>", "kernel command line, e.g. 'numa_balancing=disable' (from step 42)", "")
    .option(
      "--sched-features <list>",
      "comma-separated writes to sched_features after boot, e.g. NO_NUMA,NUMA_FORCE",
      (v: string) => v.split(",").filter(Boolean),
      [] as string[],
    )
    .option("--force-numa-balancing-config", "build with CONFIG_NUMA_BALANCING even where no architecture could select it (steps 13-25)", false)
    .option("--no-sched-debug", "build without CONFIG_SCHED_DEBUG (3.8 then never balances)")
    .option(
      "--revert <steps>",
      "build the kernel without these steps (an ablation), numbers or keys separated by commas, e.g. 40 or 40,41",
      parseRevert,
      [] as number[],
    );
}

/** Check what commander cannot: the topology parses, and one workload source is named and exists. */
export function checkWorkloadFlags(o: WorkloadFlags, cmd: Command): void {
  parseTopology(o.topology);
  if (o.workloadFile !== undefined && cmd.getOptionValueSource("workload") === "cli")
    throw new UsageError("give either --workload or --workload-file, not both");
  if (o.workloadFile === undefined) checkWorkloadName(o.workload);
}

/** A built-in workload's name; an unknown one is a usage error suggesting the nearest. */
export function checkWorkloadName(name: string): void {
  const names: readonly string[] = BUILTIN_WORKLOAD_NAMES;
  if (!names.includes(name)) throw new UsageError(`unknown workload '${name}'${didYouMean(name, names)}; built-ins: ${names.join(", ")}`);
}

/** How a run's workload is named in a header: the built-in's name, or the workload file. */
export function workloadLabel(o: WorkloadFlags): string {
  return o.workloadFile === undefined ? o.workload : `file ${o.workloadFile}`;
}
