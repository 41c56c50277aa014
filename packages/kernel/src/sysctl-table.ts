/**
 * kernel/sysctl.c: the entries of kern_table and vm_table the model has, each present only in the
 * kernels that have it.
 */
import type { Features, SchedTunables } from "@balancenuma/include-linux";
import type { SysctlDef } from "./sysctl.js";

const SEC = 1_000_000_000;
const INT_MAX = 2 ** 31 - 1;

/** sysctls every kernel of the series has (3.7's own): those the model reads. */
export const BASE_SYSCTLS: readonly SysctlDef[] = [
  { name: "vm.min_free_kbytes", defaultValue: 0, min: 0, max: 1 << 30, doc: "reserve below which allocations fail over (0 = the kernel's own sqrt formula)" },
];

/** A sysctl whose writes go to a subsystem's tunable. */
export interface LinkedSysctl {
  def: SysctlDef;
  apply(v: number): void;
}

/** kernel.sched_* (3.7 ranges): defaults come from the scheduler, writes go to it. */
export function schedSysctls(t: SchedTunables): LinkedSysctl[] {
  const entry = (name: string, key: keyof SchedTunables, min: number, max: number, doc: string) => ({
    def: { name: `kernel.${name}`, defaultValue: t[key], min, max, doc },
    apply: (v: number) => (t[key] = v),
  });
  return [
    entry("sched_latency_ns", "latencyNs", 100_000, SEC, "targeted preemption latency for CPU-bound tasks"),
    entry("sched_min_granularity_ns", "minGranularityNs", 100_000, SEC, "minimum preemption granularity"),
    entry("sched_wakeup_granularity_ns", "wakeupGranularityNs", 0, SEC, "wake-up preemption granularity"),
    entry("sched_migration_cost_ns", "migrationCostNs", 0, INT_MAX, "a task that ran this recently is cache hot for load balancing"),
    entry("sched_nr_migrate", "nrMigrate", 0, INT_MAX, "tasks moved at most per load-balance pass"),
  ];
}

/**
 * kernel.numa_balancing_* (inside CONFIG_SCHED_DEBUG and CONFIG_NUMA_BALANCING), each present from
 * the step that added it, with that step's default, in the table's order. proc_dointvec: any int
 * is accepted.
 */
export function numaBalancingSysctls(f: Readonly<Features>): SysctlDef[] {
  if (!f.CONFIG_NUMA_BALANCING || !f.CONFIG_SCHED_DEBUG || f.numaScanner === "none") return [];
  const def = (name: string, defaultValue: number, doc: string): SysctlDef => ({
    name: `kernel.numa_balancing_${name}`,
    defaultValue,
    min: 0,
    max: INT_MAX,
    doc,
  });
  const out: SysctlDef[] = [];
  if (f.scanDelayMs > 0) out.push(def("scan_delay_ms", f.scanDelayMs, "a new task's first scan period: slow start (step 29)"));
  out.push(def("scan_period_min_ms", f.scanPeriodMinMs, "shortest time between scans of a task's address space (step 26)"));
  if (f.scanPeriodResetMs > 0) out.push(def("scan_period_reset", f.scanPeriodResetMs, "the period goes back to min this often, ms (step 41)"));
  out.push(def("scan_period_max_ms", f.scanPeriodMaxMs, "longest time between scans (step 26)"));
  if (f.scanSizeMb > 0) out.push(def("scan_size_mb", f.scanSizeMb, "MB of memory marked per scan pass (step 27)"));
  return out;
}
