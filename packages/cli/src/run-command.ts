import { readFileSync } from "node:fs";
import { parseWorkloadFile, runWorkload, type RunReport, type WorkloadSpec } from "@balancenuma/workloads";
import { featuresAtStep, stepKey, stepName } from "@balancenuma/series";
import type { Features } from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { UsageError } from "./errors.js";
import { ViewRecorder } from "./commands/views.js";
import type { ViewFlags } from "./commands/view-options.js";
import { describeMachine } from "./machine-summary.js";
import { equivalentRun, invocation } from "./invocation.js";
import { RunProgress } from "./progress.js";
import { profileTable } from "./profile-table.js";
import { checkKernel } from "./kernels.js";

export interface RunFlags extends ViewFlags {
  workload: string;
  workloadFile?: string;
  /** The workload's own options (after `--`). */
  args: string[];
  scale?: number;
  topology: string;
  step: number;
  seconds?: number;
  /** Seconds between memory samples (default 1). */
  sampleEvery?: number;
  seed: number;
  /** The command line, recorded in the report (default: the equivalent `run`). */
  commandLine?: string[];
  sysctl: Record<string, number>;
  thp: "always" | "madvise" | "never";
  json: boolean;
  /** Add the system-time profile by kernel path to the text report. */
  profile?: boolean;
  progress: boolean;
  cmdline: string;
  schedFeatures: string[];
  forceNumaBalancingConfig: boolean;
  schedDebug: boolean;
  /** Steps the kernel is built without (--revert), each in 1..step. */
  revert: number[];
  /** --check: the kernel checks its invariants every 4 ms of simulated time. */
  check?: boolean;
}

/** The gates the build options force on top of the step (and the steps it is built without). */
export function buildFeatures(flags: Pick<RunFlags, "step" | "forceNumaBalancingConfig" | "schedDebug" | "revert">): Partial<Features> {
  const f: Partial<Features> = {};
  if (flags.forceNumaBalancingConfig) {
    if (!featuresAtStep(flags.step, flags.revert).pteNumaHelpers)
      throw new UsageError(`--force-numa-balancing-config: CONFIG_NUMA_BALANCING does not exist before step 13 (this run is at step ${flags.step})`);
    f.CONFIG_NUMA_BALANCING = true;
  }
  if (!flags.schedDebug) f.CONFIG_SCHED_DEBUG = false;
  return f;
}

/**
 * The warnings the kernel printed at boot (its dmesg at KERN_WARNING), each as the line the CLI
 * shows on stderr: e.g. "Unable to parse numa_balancing=" for a --cmdline value it does not know.
 */
export function bootWarnings(k: KernelInstance): string[] {
  return k.log.filter((l) => l.level === "warning").map((l) => `balancenuma: kernel warning at boot: ${l.text}\n`);
}

/** Read and validate a workload file; problems are usage errors naming the file and field. */
export async function loadWorkloadFile(path: string): Promise<WorkloadSpec> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read workload file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseWorkloadFile(text, path);
}

/** `balancenuma run`: run a workload and print the kernel's own view of it. */
export async function runCommand(flags: RunFlags, out: (s: string) => void, err: (s: string) => void = () => {}): Promise<RunReport> {
  const revert = flags.revert;
  if (revert.length) checkKernel(flags.step, revert, `--revert ${revert.join(",")}`);
  const spec = flags.workloadFile === undefined ? undefined : await loadWorkloadFile(flags.workloadFile);
  const views = new ViewRecorder(flags);
  const progress = flags.progress ? new RunProgress(process.stderr) : null;
  let run: ReturnType<typeof runWorkload>;
  try {
    run = runWorkload({
      workload: flags.workload,
      spec,
      args: flags.args,
      scale: flags.scale,
      topology: flags.topology,
      step: flags.step,
      revert,
      seconds: flags.seconds,
      sampleEvery: flags.sampleEvery,
      seed: flags.seed,
      sysctl: flags.sysctl,
      thp: flags.thp,
      cmdline: flags.cmdline,
      schedFeatures: flags.schedFeatures,
      features: buildFeatures(flags),
      debug: flags.check === true,
      trace: views.traceEvents,
      traceSink: views.traceSink,
      invocation: invocation(flags.step, flags.commandLine ?? equivalentRun(flags, flags.step, flags.seed, flags.args)),
      onBoot: (k) => {
        for (const w of bootWarnings(k)) err(w);
      },
      onTick: views.wanted ? views.onTick : undefined,
      onProgress: progress
        ? (f, seconds) => {
            progress.update(f, seconds);
          }
        : undefined,
    });
  } catch (e) {
    progress?.stop();
    views.abort();
    throw e;
  }
  progress?.stop();
  const { report, kernel } = run;
  const viewText = views.finish(kernel, err);
  if (flags.check) err(`balancenuma: --check: the kernel's invariants held at all ${kernel.invariantChecks} checks (one every 4 ms of simulated time)\n`);
  out(views.wanted ? viewText : flags.json ? JSON.stringify(report, null, 2) + "\n" : formatReport(report, flags.profile));
  return report;
}

/** "step 49 [key: title]", with the steps an ablated kernel is without. */
const kernelTitle = (r: RunReport) => {
  // A report saved before ablations existed has no `reverted`.
  const reverted = (r.config.reverted as number[] | undefined) ?? [];
  return `step ${r.step} [${stepName(r.step)}]${reverted.length ? ` without step${reverted.length > 1 ? "s" : ""} ${reverted.map((n) => `${n} [${stepKey(n)}]`).join(", ")}` : ""}`;
};

/** Processes shown in the text report; --json has them all. */
const MAX_PROCESS_ROWS = 24;

/** The machine and kernel settings line of a report header. */
function settingsLine(r: RunReport): string {
  const c = r.config;
  const extra = [`THP ${c.thp}`, ...Object.entries(c.forcedConfig).map(([n, v]) => `${n}=${String(v)}`), ...(c.cmdline ? [`cmdline '${c.cmdline}'`] : [])];
  return `machine ${r.machine}: ${describeMachine(c.topology)}; ${extra.join(", ")}`;
}

/** What the threads got done; for a run stopped by its time cap, the figures to compare it by. */
function workLine(r: RunReport): string {
  const w = r.work;
  if (w.threads === 0) return "work: no thread touched memory";
  const spread =
    w.perThreadGB.min === w.perThreadGB.max
      ? `${w.perThreadGB.mean.toFixed(3)} GB`
      : `${w.perThreadGB.min.toFixed(3)}-${w.perThreadGB.max.toFixed(3)} GB (mean ${w.perThreadGB.mean.toFixed(3)})`;
  const capped = w.capped ? `; stopped by the ${r.config.seconds} s time cap with work left: compare capped runs by throughput, not elapsed` : "";
  return `work: ${w.threads} thread${w.threads === 1 ? "" : "s"} touched ${(w.bytes / 1e9).toFixed(3)} GB, ${w.gbPerSecond.toFixed(3)} GB/s; per thread ${spread}${capped}`;
}

/** The text report; `profile` adds the system time by kernel path. */
export function formatReport(r: RunReport, profile = false): string {
  const lines: string[] = [];
  const nodes = r.nodeFreeMiB.length;
  const args = r.args.length ? ` -- ${r.args.join(" ")}` : "";
  lines.push(`workload ${r.workload} on machine ${r.machine}, ${kernelTitle(r)}, seed ${r.seed}, scale ${r.scale}${args}`);
  lines.push(settingsLine(r));
  lines.push(`elapsed ${r.elapsedSeconds.toFixed(3)} s   user ${r.userSeconds.toFixed(3)} s   system ${r.systemSeconds.toFixed(3)} s   CPU ${r.cpuPercent}%`);
  lines.push(workLine(r));
  if (profile) lines.push("", ...profileTable(r));
  lines.push("");
  const shown = r.processes.slice(0, MAX_PROCESS_ROWS);
  // A process that exited has no memory at the end: show where its memory was at its last sample.
  const exited = shown.some((p) => p.exitedSeconds !== null);
  const head = [
    "pid",
    "comm",
    "threads",
    "user s",
    "sys s",
    "local %",
    "remote GB",
    ...Array.from({ length: nodes }, (_, i) => `node${i} MiB`),
    ...(exited ? ["memory as of"] : []),
  ];
  const rows = shown.map((p) => {
    const mem = p.beforeExit?.nodeMiB ?? p.nodeMiB;
    const asOf =
      p.exitedSeconds === null
        ? "end"
        : p.beforeExit
          ? `${p.beforeExit.seconds} s (last sample before its exit at ${p.exitedSeconds} s)`
          : `exited at ${p.exitedSeconds} s, before any sample`;
    return [
      String(p.pid),
      p.comm,
      String(p.threads),
      p.userSeconds.toFixed(3),
      p.systemSeconds.toFixed(3),
      p.localPercent === null ? "n/a" : p.localPercent.toFixed(2),
      (p.remoteBytes / 1e9).toFixed(3),
      ...mem.map((m) => m.toFixed(1)),
      ...(exited ? [asOf] : []),
    ];
  });
  lines.push(...alignColumns([head, ...rows]));
  if (r.processes.length > shown.length) lines.push(`... and ${r.processes.length - shown.length} more processes (see --json)`);
  lines.push("");
  lines.push(`free memory per node (MiB): ${r.nodeFreeMiB.map((m, i) => `node${i} ${m.toFixed(1)}`).join("  ")}`);
  if (r.score) {
    lines.push("");
    lines.push(`${r.workload}'s own result:`);
    lines.push(...r.score.lines.filter((l) => l.trim() !== ""));
  }
  const m = r.mmtests;
  if (m.numaHintFaults > 0 || m.numaBasePageRangeUpdates > 0 || m.numaPagesMigrated > 0) {
    const conv = r.convergence.map((c) => (c.value === null ? "n/a" : c.value.toFixed(3)));
    lines.push("");
    lines.push("NUMA balancing (mmtests):");
    lines.push(
      ...alignColumns([
        ["NUMA base-page range updates", String(m.numaBasePageRangeUpdates)],
        ["NUMA PTE updates", String(m.numaPteUpdates)],
        ["NUMA PMD updates", String(m.numaPmdUpdates)],
        ["NUMA hint faults", String(m.numaHintFaults)],
        ["NUMA hint local faults", String(m.numaHintLocalFaults)],
        ["NUMA hint local percent", m.numaHintLocalPercent === null ? "n/a" : m.numaHintLocalPercent.toFixed(2)],
        ["NUMA pages migrated", String(m.numaPagesMigrated)],
        ["AutoNUMA cost", m.autoNumaCost.toFixed(3)],
      ]).map((l) => `  ${l}`),
    );
    lines.push(`  numa-convergence per sample: ${conv.length > 12 ? [...conv.slice(0, 6), "...", ...conv.slice(-5)].join(" ") : conv.join(" ")}`);
  }
  lines.push("");
  lines.push("/proc/vmstat counters that moved during the run:");
  const moved = Object.entries(r.vmstatDelta);
  lines.push(...(moved.length ? alignColumns(moved.map(([n, v]) => [n, String(v)])).map((l) => `  ${l}`) : ["  (none)"]));
  return lines.join("\n") + "\n";
}

/** Align columns: numbers to the right, text to the left. */
function alignColumns(rows: string[][]): string[] {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const numeric = rows[0].map((_, c) => rows.slice(1).every((r) => /^(-?[\d.]+|n\/a)$/.test(r[c])));
  return rows.map((r) =>
    r
      .map((cell, c) => (numeric[c] ? cell.padStart(w[c]) : cell.padEnd(w[c])))
      .join("  ")
      .trimEnd(),
  );
}
