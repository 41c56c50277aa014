/**
 * mm/mempolicy.c at boot: numa_policy_init with the series' additions, preferred_node_policy[]
 * (step 31) and check_numabalancing_enable (step 42), and the numa_balancing= handler (step 42).
 */
import { MPOL_F_MOF, MPOL_F_MORON, MPOL_PREFERRED, type Kernel } from "@balancenuma/include-linux";
import { newPolicy } from "./policy.js";
import { mempolicyStatics } from "./state.js";

/**
 * CONFIG_NUMA_BALANCING_DEFAULT_ENABLED (step 42, `default y`): the model builds every
 * CONFIG_NUMA_BALANCING kernel with the Kconfig default.
 */
export const CONFIG_NUMA_BALANCING_DEFAULT_ENABLED = true;

/**
 * mm/mempolicy.c: check_numabalancing_enable (step 42, gate numaBalancingControl; only with
 * CONFIG_NUMA_BALANCING): on a machine with more than one node, unless numa_balancing= was given,
 * announce it and set the NUMA sched feature to the Kconfig default. (The kernel's message has no
 * trailing newline.)
 */
export function checkNumabalancingEnable(k: Kernel): void {
  if (!(k.features.numaBalancingControl && k.features.CONFIG_NUMA_BALANCING)) return;
  const numabalancingDefault = CONFIG_NUMA_BALANCING_DEFAULT_ENABLED;
  const override = mempolicyStatics(k)?.numabalancingOverride ?? false;
  if (k.topology.nodes.length > 1 && !override) {
    k.printk("info", "Enabling automatic NUMA balancing. Configure with numa_balancing= or sysctl");
    k.sched.setNumabalancingState(k, numabalancingDefault);
  }
}

/**
 * mm/mempolicy.c: setup_numabalancing, the __setup("numa_balancing=") handler (step 42, gate
 * numaBalancingControl; only with CONFIG_NUMA_BALANCING). Any value sets the override, so
 * check_numabalancing_enable leaves the state alone; "enable" / "disable" set it, anything else only
 * warns. Runs from parse_args, before numa_policy_init.
 */
export function setupNumabalancing(k: Kernel, value: string): void {
  if (!(k.features.numaBalancingControl && k.features.CONFIG_NUMA_BALANCING)) return;
  const statics = mempolicyStatics(k);
  if (statics !== undefined) statics.numabalancingOverride = true;
  if (value === "enable") k.sched.setNumabalancingState(k, true);
  else if (value === "disable") k.sched.setNumabalancingState(k, false);
  else k.printk("warning", "Unable to parse numa_balancing=");
}

/**
 * mm/mempolicy.c: numa_policy_init, once at boot. From step 31 (gate migrateOnReference) it fills
 * preferred_node_policy[] for every node: MPOL_PREFERRED on that node with MPOL_F_MOF | MPOL_F_MORON,
 * the policy get_task_policy gives tasks without their own. From step 42 it ends with
 * check_numabalancing_enable. (The 3.7 boot-time interleave of the init task is not modelled.)
 */
export function numaPolicyInit(k: Kernel): void {
  const statics = mempolicyStatics(k);
  if (k.features.migrateOnReference && statics !== undefined) {
    statics.preferredNodePolicy = k.topology.nodes.map((n) => newPolicy(MPOL_PREFERRED, MPOL_F_MOF | MPOL_F_MORON, 0n, n.id, 0n));
  }
  checkNumabalancingEnable(k);
}
