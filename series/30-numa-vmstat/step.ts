import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 30,
  key: "numa-vmstat",
  title: "mm: numa: Add pte updates, hinting and migration stats",
  author: "Mel Gorman",
  v10: "29",
  subsystems: ["vmstat", "mm-memory", "mm-migrate", "mm-mempolicy"],
  upstream,
  requires: [{ step: 26, why: "its counters count what the scanner of step 26 and its hinting faults do" }],
  observable: {
    claims: [
      ...moves(reviewRun("remote-memory"), {
        numa_pte_updates: "appears",
        numa_hint_faults: "appears",
        numa_hint_faults_local: "appears",
        numa_pages_migrated: "appears",
      }),
    ],
    when: "always: the counters exist from this step",
  },
  apply(f) {
    f.numaVmstat = true;
  },
});
