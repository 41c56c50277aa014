import type { Kernel, VmCounters } from "@balancenuma/include-linux";
import { NR_VM_EVENT_ITEMS, NR_VM_NODE_ITEMS } from "./items.js";

/** count_vm_event / count_vm_events. */
export function countVmEvents(k: Kernel, item: number, n = 1): void {
  k.vm.events[item] += n;
}

/**
 * include/linux/vmstat.h: count_vm_numa_event / count_vm_numa_events (step 30, "mm: numa: Add pte
 * updates, hinting and migration stats"): count_vm_events for the numa_* items, a no-op unless
 * the kernel has them (the step's gate) and is built with CONFIG_NUMA_BALANCING.
 */
export function countVmNumaEvents(k: Kernel, item: number, n = 1): void {
  if (k.features.numaVmstat && k.features.CONFIG_NUMA_BALANCING) k.vm.events[item] += n;
}

/** mod_zone_page_state for a node. */
export function modNodeState(k: Kernel, nid: number, item: number, delta: number): void {
  k.vm.nodeStat[nid][item] += delta;
}

/** Fresh, zeroed counters for a machine with `nodes` nodes. */
export function newVmCounters(nodes: number): VmCounters {
  return {
    events: new Float64Array(NR_VM_EVENT_ITEMS),
    nodeStat: Array.from({ length: nodes }, () => new Float64Array(NR_VM_NODE_ITEMS)),
  };
}
