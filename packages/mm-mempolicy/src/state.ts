/**
 * The static variables of mm/mempolicy.c that the series adds, kept per kernel instance on the
 * mempolicy ops object (the model has no module-level mutable state).
 */
import type { Kernel, Mempolicy, MempolicyOps } from "@balancenuma/include-linux";

export interface MempolicyStatics {
  /**
   * preferred_node_policy[MAX_NUMNODES] (step 31): filled by numa_policy_init; empty (mode 0 in the
   * kernel: "not initialised early in boot") until then.
   */
  preferredNodePolicy: Mempolicy[];
  /** numabalancing_override (step 42, __initdata): numa_balancing= was on the command line. */
  numabalancingOverride: boolean;
}

/** The ops object createMempolicyOps() builds: MempolicyOps plus the statics. */
export interface MempolicyInstance extends MempolicyOps {
  readonly statics: MempolicyStatics;
}

export function newMempolicyStatics(): MempolicyStatics {
  return { preferredNodePolicy: [], numabalancingOverride: false };
}

/** This kernel's mempolicy statics (undefined with a hand-made k.mempolicy, as in unit-test fakes). */
export function mempolicyStatics(k: Kernel): MempolicyStatics | undefined {
  return (k.mempolicy as Partial<MempolicyInstance> | undefined)?.statics;
}
