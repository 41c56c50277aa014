import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 41,
  key: "scan-rate-adapt",
  title: "mm: sched: Adapt the scanning rate if a NUMA hinting fault does not migrate",
  author: "Mel Gorman",
  v10: "40",
  subsystems: ["sched-fair", "mm-memory", "mm-huge-memory"],
  upstream,
  apply(f) {
    f.scanPeriodGrowth = "non-migrating";
    f.scanPeriodMaxMs = 100 * 50;
    f.scanPeriodResetMs = 100 * 600;
  },
});
