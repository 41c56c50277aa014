import type { Kernel } from "./kernel.js";

/**
 * include/linux/sched.h: task_numa_fault, as the hinting-fault handlers call it: the call exists
 * from step 26 (the scanner patch adds it to mm/memory.c and mm/huge_memory.c), and its `migrated`
 * argument from step 41 (before, the callers pass nothing the scheduler reads).
 */
export function taskNumaFault(k: Kernel, node: number, pages: number, migrated: boolean): void {
  if (k.features.numaScanner === "none") return;
  k.sched.taskNumaFault(k, node, pages, k.features.scanPeriodGrowth === "non-migrating" ? migrated : false);
}
