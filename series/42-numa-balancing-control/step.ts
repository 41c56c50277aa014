import { defineStep } from "../step.js";
import { moves, nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 42,
  key: "numa-balancing-control",
  title: "mm: sched: numa: Control enabling and disabling of NUMA balancing",
  author: "Mel Gorman",
  v10: "41",
  subsystems: ["sched-fair", "mm-mempolicy"],
  upstream,
  observable: {
    claims: [
      nothingOn(reviewRun("remote-memory")),
      ...moves({ workload: "specjbb", topology: "nodes=1,cpus=2,mem=1G", seconds: 2, thp: "always" }, { numa_pte_updates: "down", numa_hint_faults: "down" }),
    ],
    when: "on a machine with one node (no scanning unless booted with numa_balancing=enable); on the review's two-node machine runs are identical",
  },
  apply(f) {
    f.numaBalancingControl = true;
    f.schedFeatNumaDefault = false;
  },
});
