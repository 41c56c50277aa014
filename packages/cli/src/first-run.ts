import { findWorkload, formatMetric, metricValue, runWorkload, type MetricValue, type RunReport } from "@balancenuma/workloads";
import { SERIES, stepKey } from "@balancenuma/series";
import { describeMachine } from "./machine-summary.js";
import { equivalentRun, invocation } from "./invocation.js";
import { RunProgress } from "./progress.js";

/** The kernels side by side: Linux 3.7-rc6 as the series found it, and with the whole series. */
const BEFORE = 0;
const AFTER = SERIES.length;
const WORKLOAD = "remote-memory";

/** Where the workload's memory is per node at the end (an exited process: at its last sample). */
export function memoryByNode(r: RunReport): number[] {
  const out = r.nodeFreeMiB.map(() => 0);
  for (const p of r.processes) (p.beforeExit?.nodeMiB ?? p.nodeMiB).forEach((m, n) => (out[n] += m));
  return out;
}

const fixed = (v: MetricValue, digits: number) => formatMetric(v, (n) => n.toFixed(digits));
const mib = (pages: number) => (pages * 4096) / 2 ** 20;

/**
 * One line saying what the numbers show, computed from them: what step 49 moved and where, the
 * locality, the speed (throughput for runs stopped by the time cap, elapsed time otherwise) and the
 * system time it cost.
 */
export function conclusion(before: RunReport, after: RunReport): string {
  const migrated = metricValue(after, "numa_pages_migrated");
  const a = memoryByNode(before);
  const b = memoryByNode(after);
  const shift = b.map((m, n) => [n, m - a[n]] as const).filter(([, d]) => d > 0.5);
  const onto = shift.length ? ` onto ${shift.map(([n]) => `node ${n}`).join(" and ")}` : "";
  // Before step 30 the kernel has no migration counter: the memory per node still shows a move.
  const moved =
    typeof migrated === "number" && migrated > 0
      ? `Step ${after.step} moved ${migrated} pages (${mib(migrated).toFixed(0)} MiB)${onto}`
      : shift.length
        ? `Step ${after.step} ended with ${shift.reduce((x, [, d]) => x + d, 0).toFixed(0)} MiB more${onto}`
        : `Step ${after.step} moved no memory`;
  const local = `local touches ${fixed(metricValue(before, "local_percent"), 2)}% -> ${fixed(metricValue(after, "local_percent"), 2)}%`;
  const capped = before.work.capped || after.work.capped;
  const ratio = (x: number, y: number) => (y > 0 ? `${(x / y).toFixed(2)}x` : "n/a");
  const speed = capped
    ? `throughput ${ratio(after.work.gbPerSecond, before.work.gbPerSecond)} (${before.work.gbPerSecond.toFixed(2)} -> ${after.work.gbPerSecond.toFixed(2)} GB/s in the same ${after.config.seconds} s)`
    : `elapsed ${before.elapsedSeconds.toFixed(3)} -> ${after.elapsedSeconds.toFixed(3)} s (${ratio(before.elapsedSeconds, after.elapsedSeconds)} as fast)`;
  const dsys = after.systemSeconds - before.systemSeconds;
  return `${moved}: ${local}, ${speed}, for ${dsys >= 0 ? "+" : ""}${dsys.toFixed(3)} s of system time.`;
}

/** Commands and what they do, in two columns. */
const aligned = (rows: [string, string][]) => {
  const w = Math.max(...rows.map(([c]) => c.length));
  return rows.map(([c, what]) => `  ${c.padEnd(w)}   ${what}`);
};

/** The two reports side by side, a conclusion and what to try next. */
function formatFirstRun(before: RunReport, after: RunReport): string {
  const rows: [string, (r: RunReport) => string][] = [
    ...memoryByNode(before).map((_, n): [string, (r: RunReport) => string] => [`memory on node ${n}, MiB`, (r) => memoryByNode(r)[n].toFixed(1)]),
    ["local touches, %", (r) => fixed(metricValue(r, "local_percent"), 2)],
    ["elapsed, s", (r) => r.elapsedSeconds.toFixed(3)],
    ["system time, s", (r) => r.systemSeconds.toFixed(3)],
    ["throughput, GB/s", (r) => r.work.gbPerSecond.toFixed(3)],
    ["NUMA pages migrated", (r) => fixed(metricValue(r, "numa_pages_migrated"), 0)],
    ["NUMA hint faults", (r) => fixed(metricValue(r, "numa_hint_faults"), 0)],
  ];
  const head = ["", `step ${before.step}`, `step ${after.step}`];
  const keys = ["", stepKey(before.step), stepKey(after.step)];
  const table = [head, keys, ...rows.map(([label, f]) => [label, f(before), f(after)])];
  const w = head.map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const lines = [
    `The same workload on two kernels: Linux 3.7-rc6 (step ${before.step}) and with the whole series (step ${after.step}).`,
    "",
    `workload ${WORKLOAD}: ${findWorkload(WORKLOAD).description}`,
    `machine ${before.machine}: ${describeMachine(before.config.topology)}; THP ${before.config.thp}, seed ${before.seed}, ${before.config.seconds} simulated seconds`,
    "",
    ...table.map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(w[c]) : cell.padStart(w[c])))
        .join("   ")
        .trimEnd(),
    ),
    "",
    conclusion(before, after),
    "",
    "Try next:",
    ...aligned([
      ["balancenuma bisect 'numa_pages_migrated > 0'", "which step starts moving memory? (then 'balancenuma review N' for the step it names)"],
      [`balancenuma compare ${before.step} ${after.step} --seeds 1-3`, "these two kernels over three seeds, mmtests style"],
      [`balancenuma run --step ${after.step}`, "one kernel's full report (any option makes 'run' one run)"],
    ]),
  ];
  return lines.join("\n") + "\n";
}

/** `balancenuma run` with no options: the point of the series in a few seconds. */
export function firstRun(out: (s: string) => void, progress: boolean): void {
  const report = (step: number, share: number, offset: number) => {
    const bar = progress ? new RunProgress(process.stderr) : null;
    const r = runWorkload({
      workload: WORKLOAD,
      step,
      seed: 1,
      invocation: invocation(step, equivalentRun({ workload: WORKLOAD }, step, 1)),
      onProgress: bar
        ? (f, s) => {
            bar.update(offset + share * f, s);
          }
        : undefined,
    }).report;
    bar?.stop();
    return r;
  };
  const before = report(BEFORE, 0.5, 0);
  const after = report(AFTER, 0.5, 0.5);
  out(formatFirstRun(before, after));
}
