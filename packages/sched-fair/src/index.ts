/** @balancenuma/sched-fair — placeholder until implemented. */
import type { SchedOps } from "@balancenuma/include-linux";
import type { Topology } from "@balancenuma/machine";
export function createSchedOps(_topology: Topology): SchedOps {
  throw new Error("sched-fair: not implemented yet");
}
