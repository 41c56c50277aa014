import type { Kernel, VmCounters } from "@balancenuma/include-linux";
import { NR_VM_EVENT_ITEMS, NR_VM_NODE_ITEMS } from "./items.js";

/** count_vm_event / count_vm_events. */
export function countVmEvents(k: Kernel, item: number, n = 1): void {
  k.vm.events[item] += n;
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
