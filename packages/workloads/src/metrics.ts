import { BASELINE_FEATURES, SYS_PATHS } from "@balancenuma/include-linux";
import { newVmCounters, vmstatEntries } from "@balancenuma/vmstat";
import { WorkloadError } from "@balancenuma/userspace";
import type { RunReport } from "./run.js";

/**
 * One flat namespace of numbers over a RunReport, shared by bisect, compare and sweep:
 *
 * - `elapsed`, `user`, `system` (seconds), `cpu_percent`;
 * - the system time by kernel path, seconds: `sys_hinting_faults`, `sys_scanner`, `sys_migration`,
 *   `sys_migration_copy`, `sys_tlb_ipi`, `sys_tlb_flush`, `sys_lock_anon_vma`, `sys_lock_page_table`,
 *   `sys_lock_mmap_sem`, `sys_lock_other`, `sys_page_alloc`, `sys_page_clear`, `sys_faults`,
 *   `sys_syscalls`, `sys_sched`, `sys_other` (include-linux sys-profile.ts says what each holds;
 *   they add up to `system`);
 * - `touched_gb` (bytes all threads read or wrote) and `throughput_gb_s` (that per elapsed second):
 *   the work done, which judges a run stopped by its time cap, where elapsed is the cap;
 * - `local_percent` (all processes, by touches), `remote_gb`, and per process `pid<N>.local_percent`,
 *   `pid<N>.user`, `pid<N>.system`, `pid<N>.remote_gb`;
 * - every /proc/vmstat counter by its name: its delta over the run (0 when it did not move);
 * - mmtests' derived lines: `numa_hint_local_percent`, `numa_pte_updates_base` (pte updates minus
 *   512 per pmd update), `autonuma_cost`; and `migrated_per_hint_fault` (numa_pages_migrated /
 *   numa_hint_faults: how often a hinting fault moves a page);
 * - `convergence` (the last numa-convergence sample, 0..1) and `convergence_mean`;
 * - the workload's own figures as `score.<name>`, the name lower-cased with every run of other
 *   characters turned into `_` ("total-speed GB/sec" is `score.total_speed_gb_sec`).
 *
 * Two values are not numbers. A ratio of nothing (a local share without touches, a hinting-fault
 * share without faults, convergence before any fault) is `null`, "n/a": not 100%, not 0. A counter
 * the step's kernel does not have (numa_pages_migrated before step 30), and what is derived from
 * it, is ABSENT: distinct from a 0 the kernel counted.
 */
export const ABSENT = "absent";
export type MetricValue = number | null | typeof ABSENT;

/** A metric value as text: the number as `fmt` writes it, "n/a" or "absent". */
export function formatMetric(v: MetricValue, fmt: (n: number) => string = String): string {
  return v === null ? "n/a" : v === ABSENT ? ABSENT : fmt(v);
}

/** Every /proc/vmstat name any step can print (the series adds and removes counters). */
const VMSTAT_NAMES: readonly string[] = (() => {
  const all = { ...BASELINE_FEATURES, CONFIG_NUMA_BALANCING: true, numaVmstat: true, compactionScanCounters: true };
  const names = new Set<string>();
  for (const f of [BASELINE_FEATURES, all, { ...all, migrateStats: true }]) for (const [n] of vmstatEntries(newVmCounters(1), f)) names.add(n);
  return [...names];
})();

/** The system time of each kernel path, seconds: sys_hinting_faults, sys_scanner, ... */
export const SYS_METRICS: readonly string[] = SYS_PATHS.map((p) => `sys_${p.name}`);

/** A score figure's metric name: "total-speed GB/sec" -> "total_speed_gb_sec". */
export const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Every metric of the report, name -> value, in a stable order (fixed names first). */
export function reportMetrics(r: RunReport): Map<string, MetricValue> {
  const m = new Map<string, MetricValue>();
  const local = sum(r.processes.map((p) => p.localTouches));
  const remote = sum(r.processes.map((p) => p.remoteTouches));
  // A report saved before `vmstat` was recorded has every counter.
  const vmstat = r.vmstat as RunReport["vmstat"] | undefined;
  const has = (n: string) => vmstat === undefined || n in vmstat;
  const counter = (n: string): number | typeof ABSENT => (has(n) ? (r.vmstatDelta[n] ?? 0) : ABSENT);
  /** a / b, or null for b = 0; absent if either counter is. */
  const ratio = (a: number | typeof ABSENT, b: number | typeof ABSENT, scale: number, digits: number): MetricValue =>
    a === ABSENT || b === ABSENT ? ABSENT : b === 0 ? null : Number(((scale * a) / b).toFixed(digits));
  const faults = counter("numa_hint_faults");
  const ifCounted = (v: MetricValue): MetricValue => (faults === ABSENT ? ABSENT : v);
  m.set("elapsed", r.elapsedSeconds);
  m.set("user", r.userSeconds);
  m.set("system", r.systemSeconds);
  m.set("cpu_percent", r.cpuPercent);
  // A report saved before the profile was recorded has no such figures.
  const profile = r.systemProfile as RunReport["systemProfile"] | undefined;
  for (const n of SYS_METRICS) m.set(n, profile ? Number(((profile[n.slice(4)] ?? 0) / 1e9).toFixed(6)) : null);
  // A report saved before `work` was recorded has no such figures.
  const work = r.work as RunReport["work"] | undefined;
  m.set("touched_gb", work ? Number((work.bytes / 1e9).toFixed(3)) : null);
  m.set("throughput_gb_s", work ? work.gbPerSecond : null);
  m.set("local_percent", ratio(local, local + remote, 100, 2));
  m.set("remote_gb", Number((sum(r.processes.map((p) => p.remoteBytes)) / 1e9).toFixed(3)));
  m.set("numa_hint_local_percent", ratio(counter("numa_hint_faults_local"), faults, 100, 2));
  m.set("numa_pte_updates_base", counter("numa_pte_updates") === ABSENT ? ABSENT : r.mmtests.numaPteUpdates);
  m.set("autonuma_cost", counter("numa_pte_updates") === ABSENT ? ABSENT : r.mmtests.autoNumaCost);
  m.set("migrated_per_hint_fault", ratio(counter("numa_pages_migrated"), faults, 1, 5));
  const conv = r.convergence.map((c) => c.value).filter((v): v is number => v !== null);
  m.set("convergence", ifCounted(r.convergence.at(-1)?.value ?? null));
  m.set("convergence_mean", ifCounted(conv.length ? Number((sum(conv) / conv.length).toFixed(5)) : null));
  for (const n of VMSTAT_NAMES) m.set(n, counter(n));
  for (const n of Object.keys(r.vmstatDelta)) if (!m.has(n)) m.set(n, r.vmstatDelta[n]);
  for (const [n, v] of Object.entries(r.score?.metrics ?? {})) m.set(`score.${slug(n)}`, v);
  for (const p of r.processes) {
    m.set(`pid${p.pid}.local_percent`, p.localPercent);
    m.set(`pid${p.pid}.user`, p.userSeconds);
    m.set(`pid${p.pid}.system`, p.systemSeconds);
    m.set(`pid${p.pid}.remote_gb`, Number((p.remoteBytes / 1e9).toFixed(3)));
  }
  return m;
}

/** The unit of a metric, for axis labels: "s", "%", "GB", a count and what it counts. */
export function metricUnit(name: string): string {
  const field = name.replace(/^pid\d+\./, "");
  const units: Record<string, string> = {
    elapsed: "s",
    user: "s",
    system: "s",
    ...Object.fromEntries(SYS_METRICS.map((n) => [n, "s"])),
    cpu_percent: "%",
    local_percent: "%",
    numa_hint_local_percent: "%",
    touched_gb: "GB",
    remote_gb: "GB",
    throughput_gb_s: "GB/s",
    autonuma_cost: "mmtests' units",
    migrated_per_hint_fault: "pages per hinting fault",
    convergence: "0-1, 1 = converged",
    convergence_mean: "0-1, 1 = converged",
    numa_pte_updates_base: "ptes",
  };
  if (units[field]) return units[field];
  if (name.startsWith("score.")) return "the workload's own units";
  return "count over the run";
}

/** The metric names a report has. */
export function listMetrics(r: RunReport): string[] {
  return [...reportMetrics(r).keys()];
}

/** The metrics every report has (workload scores and per-process metrics come on top). */
export const COMMON_METRICS: readonly string[] = [
  "elapsed",
  "user",
  "system",
  "cpu_percent",
  ...SYS_METRICS,
  "touched_gb",
  "throughput_gb_s",
  "local_percent",
  "remote_gb",
  "numa_hint_local_percent",
  "numa_pte_updates_base",
  "autonuma_cost",
  "migrated_per_hint_fault",
  "convergence",
  "convergence_mean",
  ...VMSTAT_NAMES,
];
const COMMON = new Set(COMMON_METRICS);

/** True if `name` is a metric every report has (not a workload score or a per-process one). */
export function isCommonMetric(name: string): boolean {
  return COMMON.has(name);
}

/** The value of one metric; an unknown name is a WorkloadError listing the known ones. */
export function metricValue(r: RunReport, name: string): MetricValue {
  const m = reportMetrics(r);
  const v = m.get(name);
  if (v === undefined) throw new WorkloadError(`unknown metric '${name}'; known: ${[...m.keys()].join(", ")}`);
  return v;
}
