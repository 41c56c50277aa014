import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 16,
  key: "numa-hinting-faults",
  title: "mm: numa: Create basic numa page hinting infrastructure",
  author: "Mel Gorman",
  v10: "15",
  subsystems: ["mm-memory", "mm-huge-memory"],
  upstream,
  requires: [{ step: 13, why: "handle_mm_fault() dispatches on step 13's pte_numa() and pmd_numa()" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never on an as-built kernel: nothing marks entries for hinting faults yet",
  },
  apply(f) {
    f.numaHintingFaults = true;
  },
});
