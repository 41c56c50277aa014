import type { Kernel } from "./kernel.js";
import type { Nodemask } from "./mempolicy.js";

/** include/linux/topology.h: numa_node_id(): the node of the CPU running the code. */
export function numaNodeId(k: Kernel): number {
  return k.cpus[k.currentCpu].node;
}

/** include/linux/nodemask.h: node_states[N_HIGH_MEMORY]: the nodes that have memory. */
export function nodeStatesMemory(k: Kernel): Nodemask {
  let m = 0n;
  for (const n of k.topology.nodes) if (n.memBytes > 0) m |= 1n << BigInt(n.id);
  return m;
}
