import { SingleBar } from "cli-progress";
import { runWorkload, type RunReport } from "@balancenuma/workloads";
import { SERIES, BASELINE_TITLE, featuresAtStep } from "@balancenuma/series";
import type { Features } from "@balancenuma/include-linux";
import { UsageError } from "./errors.js";

export interface RunFlags {
  workload: string;
  topology: string;
  step: number;
  seconds: number;
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
function buildFeatures(flags: RunFlags): Partial<Features> {
  const f: Partial<Features> = {};
  if (flags.forceNumaBalancingConfig) {
    if (!featuresAtStep(flags.step).pteNumaHelpers)
      throw new UsageError(`--force-numa-balancing-config: CONFIG_NUMA_BALANCING does not exist before step 13 (this run is at step ${flags.step})`);
    f.CONFIG_NUMA_BALANCING = true;
  }
  if (!flags.schedDebug) f.CONFIG_SCHED_DEBUG = false;
  return f;
}

/** `balancenuma run`: run a workload and print the kernel's own view of it. */
export function runCommand(flags: RunFlags, out: (s: string) => void): RunReport {
  const bar = flags.progress ? new SingleBar({ format: "simulating [{bar}] {percentage}% | {value}/{total} simulated s", hideCursor: true, stream: process.stderr }) : null;
  bar?.start(flags.seconds, 0);
  let shown = 0;
  const { report } = runWorkload({
    workload: flags.workload,
    topology: flags.topology,
    step: flags.step,
    seconds: flags.seconds,
    seed: flags.seed,
    sysctl: flags.sysctl,
    thp: flags.thp,
    cmdline: flags.cmdline,
    schedFeatures: flags.schedFeatures,
    features: buildFeatures(flags),
    onProgress: bar
      ? (f) => {
          const v = Math.round(f * flags.seconds * 10) / 10;
          if (v !== shown) bar.update((shown = v));
        }
      : undefined,
  });
  bar?.update(flags.seconds);
  bar?.stop();
  out(flags.json ? JSON.stringify(report, null, 2) + "\n" : formatReport(report));
  return report;
}

const stepTitle = (n: number) => (n === 0 ? `baseline, ${BASELINE_TITLE}` : `${SERIES[n - 1].key}: ${SERIES[n - 1].title}`);

export function formatReport(r: RunReport): string {
  const lines: string[] = [];
  const nodes = r.nodeFreeMiB.length;
  lines.push(`workload ${r.workload} on machine ${r.machine}, step ${r.step} [${stepTitle(r.step)}], seed ${r.seed}`);
  lines.push(`elapsed ${r.elapsedSeconds.toFixed(3)} s   user ${r.userSeconds.toFixed(3)} s   system ${r.systemSeconds.toFixed(3)} s   CPU ${r.cpuPercent}%`);
  lines.push("");
  const head = ["pid", "comm", "threads", "user s", "sys s", "local %", ...Array.from({ length: nodes }, (_, i) => `node${i} MiB`)];
  const rows = r.processes.map((p) => [String(p.pid), p.comm, String(p.threads), p.userSeconds.toFixed(3), p.systemSeconds.toFixed(3), p.localPercent.toFixed(2), ...p.nodeMiB.map((m) => m.toFixed(1))]);
  lines.push(...table([head, ...rows]));
  lines.push("");
  lines.push(`free memory per node (MiB): ${r.nodeFreeMiB.map((m, i) => `node${i} ${m.toFixed(1)}`).join("  ")}`);
  lines.push("");
  lines.push("/proc/vmstat counters that moved during the run:");
  const moved = Object.entries(r.vmstatDelta);
  lines.push(...(moved.length ? table(moved.map(([n, v]) => [n, String(v)])).map((l) => `  ${l}`) : ["  (none)"]));
  return lines.join("\n") + "\n";
}

/** Align columns: numbers to the right, text to the left. */
function table(rows: string[][]): string[] {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const numeric = rows[0].map((_, c) => rows.slice(1).every((r) => /^-?[\d.]+$/.test(r[c])));
  return rows.map((r) => r.map((cell, c) => (numeric[c] ? cell.padStart(w[c]) : cell.padEnd(w[c]))).join("  ").trimEnd());
}
