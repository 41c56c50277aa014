import type { Invocation } from "@balancenuma/workloads";
import type { WorkloadFlags } from "./workload-options.js";
import { TOOL_VERSION } from "./version.js";
import { stepKey } from "@balancenuma/series";

/** What a report records about how it was made: the tool, its version, the step's key and the command line. */
export function invocation(step: number, commandLine: readonly string[]): Invocation {
  return { tool: "balancenuma", version: TOOL_VERSION, stepKey: stepKey(step), commandLine: [...commandLine] };
}

/**
 * The `balancenuma run` command line that gives the same report as one run of bisect, compare,
 * review or a sweep cell: the report then says how to make it again on its own.
 */
export function equivalentRun(o: Partial<WorkloadFlags> & { sampleEvery?: number }, step: number, seed: number, args: readonly string[] = []): string[] {
  const w = ["balancenuma", "run", "--step", String(step), "--seed", String(seed)];
  w.push(...(o.workloadFile !== undefined ? ["-f", o.workloadFile] : ["-w", o.workload ?? "remote-memory"]));
  w.push("-t", o.topology ?? "default");
  if (o.seconds !== undefined) w.push("--seconds", String(o.seconds));
  if (o.scale !== undefined) w.push("--scale", String(o.scale));
  if (o.sampleEvery !== undefined) w.push("--sample-every", String(o.sampleEvery));
  w.push("--thp", o.thp ?? "always");
  for (const [name, value] of Object.entries(o.sysctl ?? {})) w.push("--sysctl", `${name}=${value}`);
  if (o.cmdline) w.push("--cmdline", o.cmdline);
  if (o.schedFeatures?.length) w.push("--sched-features", o.schedFeatures.join(","));
  if (o.forceNumaBalancingConfig) w.push("--force-numa-balancing-config");
  if (o.schedDebug === false) w.push("--no-sched-debug");
  w.push("--json");
  if (args.length) w.push("--", ...args);
  return w;
}
