import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 42,
  key: "numa-balancing-control",
  title: "mm: sched: numa: Control enabling and disabling of NUMA balancing",
  author: "Mel Gorman",
  v10: "41",
  subsystems: ["sched-fair", "mm-mempolicy"],
  upstream,
  apply(f) {
    f.numaBalancingControl = true;
    f.schedFeatNumaDefault = false;
  },
});
