import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 11,
  key: "compaction-counters",
  title: "mm: compaction: Add scanned and isolated counters for compaction",
  author: "Mel Gorman",
  v10: "10",
  subsystems: ["vmstat"],
  upstream,
  observable: {
    claims: [...moves(reviewRun("remote-memory"), { compact_migrate_scanned: "appears", compact_free_scanned: "appears", compact_isolated: "appears" })],
    when: "always: the counters exist from this step, at 0",
  },
  apply(f) {
    f.compactionScanCounters = true;
  },
});
