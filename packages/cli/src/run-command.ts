import { readFileSync } from "node:fs";
import { SingleBar } from "cli-progress";
import { parseWorkloadFile, runWorkload, type RunReport, type WorkloadSpec } from "@balancenuma/workloads";
import { SERIES, BASELINE_TITLE, featuresAtStep } from "@balancenuma/series";
import type { Features } from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { UsageError } from "./errors.js";
import { ViewRecorder, type ViewFlags } from "./commands/views.js";

export interface RunFlags extends ViewFlags {
  workload: string;
  workloadFile?: string;
  /** The workload's own options (after `--`). */
  args: string[];
  scale?: number;
  topology: string;
  step: number;
  seconds?: number;
  seed: number;
  sysctl: Record<string, number>;
  thp: "always" | "madvise" | "never";
  json: boolean;
  progress: boolean;
  cmdline: string;
  schedFeatures: string[];
  forceNumaBalancingConfig: boolean;
  schedDebug: boolean;
}

/** The gates the build options force on top of the step. */
export function buildFeatures(flags: Pick<RunFlags, "step" | "forceNumaBalancingConfig" | "schedDebug">): Partial<Features> {
  const f: Partial<Features> = {};
  if (flags.forceNumaBalancingConfig) {
    if (!featuresAtStep(flags.step).pteNumaHelpers)
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
export function loadWorkloadFile(path: string): WorkloadSpec {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read workload file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseWorkloadFile(text, path);
}

/** `balancenuma run`: run a workload and print the kernel's own view of it. */
export function runCommand(flags: RunFlags, out: (s: string) => void, err: (s: string) => void = () => {}): RunReport {
  const spec = flags.workloadFile === undefined ? undefined : loadWorkloadFile(flags.workloadFile);
  const views = new ViewRecorder(flags);
  const bar = flags.progress ? new SingleBar({ format: "simulating [{bar}] {percentage}% | {value}/{total} simulated s", hideCursor: true, stream: process.stderr }) : null;
  const total = flags.seconds ?? 0;
  let shown = 0;
  let run: ReturnType<typeof runWorkload>;
  try {
    run = runWorkload({
      workload: flags.workload,
      spec,
      args: flags.args,
      scale: flags.scale,
      topology: flags.topology,
      step: flags.step,
      seconds: flags.seconds,
      seed: flags.seed,
      sysctl: flags.sysctl,
      thp: flags.thp,
      cmdline: flags.cmdline,
      schedFeatures: flags.schedFeatures,
      features: buildFeatures(flags),
      trace: views.traceEvents,
      traceSink: views.traceSink,
      onBoot: (k) => {
        for (const w of bootWarnings(k)) err(w);
        if (total > 0) bar?.start(total, 0);
      },
      onTick: views.wanted ? views.onTick : undefined,
      onProgress:
        bar && total > 0
          ? (f) => {
              const v = Math.round(f * total * 10) / 10;
              if (v !== shown) bar.update((shown = v));
            }
          : undefined,
    });
  } catch (e) {
    views.abort();
    throw e;
  }
  const { report, kernel } = run;
  if (total > 0) {
    bar?.update(total);
    bar?.stop();
  }
  const viewText = views.finish(kernel, err);
  out(views.wanted ? viewText : flags.json ? JSON.stringify(report, null, 2) + "\n" : formatReport(report));
  return report;
}

const stepTitle = (n: number) => (n === 0 ? `baseline, ${BASELINE_TITLE}` : `${SERIES[n - 1].key}: ${SERIES[n - 1].title}`);

/** Processes shown in the text report; --json has them all. */
const MAX_PROCESS_ROWS = 24;

export function formatReport(r: RunReport): string {
  const lines: string[] = [];
  const nodes = r.nodeFreeMiB.length;
  const args = r.args.length ? ` -- ${r.args.join(" ")}` : "";
  lines.push(`workload ${r.workload} on machine ${r.machine}, step ${r.step} [${stepTitle(r.step)}], seed ${r.seed}, scale ${r.scale}${args}`);
  lines.push(`elapsed ${r.elapsedSeconds.toFixed(3)} s   user ${r.userSeconds.toFixed(3)} s   system ${r.systemSeconds.toFixed(3)} s   CPU ${r.cpuPercent}%`);
  lines.push("");
  const head = ["pid", "comm", "threads", "user s", "sys s", "local %", "remote GB", ...Array.from({ length: nodes }, (_, i) => `node${i} MiB`)];
  const shown = r.processes.slice(0, MAX_PROCESS_ROWS);
  const rows = shown.map((p) => [
    String(p.pid),
    p.comm,
    String(p.threads),
    p.userSeconds.toFixed(3),
    p.systemSeconds.toFixed(3),
    p.localPercent === null ? "n/a" : p.localPercent.toFixed(2),
    (p.remoteBytes / 1e9).toFixed(3),
    ...p.nodeMiB.map((m) => m.toFixed(1)),
  ]);
  lines.push(...table([head, ...rows]));
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
      ...table([
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
  lines.push(...(moved.length ? table(moved.map(([n, v]) => [n, String(v)])).map((l) => `  ${l}`) : ["  (none)"]));
  return lines.join("\n") + "\n";
}

/** Align columns: numbers to the right, text to the left. */
function table(rows: string[][]): string[] {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const numeric = rows[0].map((_, c) => rows.slice(1).every((r) => /^(-?[\d.]+|n\/a)$/.test(r[c])));
  return rows.map((r) => r.map((cell, c) => (numeric[c] ? cell.padStart(w[c]) : cell.padEnd(w[c]))).join("  ").trimEnd());
}
