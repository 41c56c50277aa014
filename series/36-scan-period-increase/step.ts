import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 36,
  key: "scan-period-increase",
  title: "sched: numa: Slowly increase the scanning period as NUMA faults are handled",
  author: "Mel Gorman",
  v10: "35",
  subsystems: ["sched-fair"],
  upstream,
  requires: [{ step: 26, why: "it lengthens the scan period of step 26's scanner" }],
  observable: {
    claims: [...moves(reviewRun("remote-memory"), { numa_pte_updates: "down", numa_hint_faults: "down" })],
    when: "for tasks that take many hinting faults, such as remote-memory",
  },
  apply(f) {
    f.scanPeriodGrowth = "every-fault";
    f.nextScanPeriods = 1;
  },
});
