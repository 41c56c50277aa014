import { defineStep } from "../step.js";

export default defineStep({
  number: 11,
  key: "compaction-counters",
  title: "mm: compaction: Add scanned and isolated counters for compaction",
  author: "Mel Gorman",
  v10: "10",
  subsystems: ["vmstat"],
  apply(f) {
    f.compactionScanCounters = true;
  },
});
