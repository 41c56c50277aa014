import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 41,
  key: "scan-rate-adapt",
  title: "mm: sched: Adapt the scanning rate if a NUMA hinting fault does not migrate",
  author: "Mel Gorman",
  v10: "40",
  subsystems: ["sched-fair", "mm-memory", "mm-huge-memory"],
  upstream,
  observable: {
    claims: [
      ...moves(reviewRun("remote-memory"), { numa_pages_migrated: "down", local_percent: "up" }),
      ...moves(reviewRun("private-halves"), { numa_hint_faults: "down", numa_pages_migrated: "down" }),
    ],
    when: "in the review's 4 s runs scanning slows down early: private-halves takes almost no hinting faults and migrates nothing, remote-memory migrates fewer pages yet ends more local",
  },
  apply(f) {
    f.scanPeriodGrowth = "non-migrating";
    f.scanPeriodMaxMs = 100 * 50;
    f.scanPeriodResetMs = 100 * 600;
  },
});
