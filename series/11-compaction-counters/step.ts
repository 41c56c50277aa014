import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 11,
  key: "compaction-counters",
  title: "mm: compaction: Add scanned and isolated counters for compaction",
  author: "Mel Gorman",
  v10: "10",
  subsystems: ["vmstat"],
  upstream,
  apply(f) {
    f.compactionScanCounters = true;
  },
});
