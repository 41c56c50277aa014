import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 43,
  key: "numa-balancing-control-nodebug",
  title: "mm: sched: numa: Control enabling and disabling of NUMA balancing if !SCHED_DEBUG",
  author: "Mel Gorman",
  v10: "42",
  subsystems: ["sched-fair"],
  upstream,
  requires: [{ step: 42, why: "it records the numa_balancing= choice of step 42 for kernels without CONFIG_SCHED_DEBUG" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "only with CONFIG_SCHED_DEBUG off (run --no-sched-debug); the default kernel is identical",
  },
  apply(f) {
    f.numabalancingEnabledVar = true;
  },
});
