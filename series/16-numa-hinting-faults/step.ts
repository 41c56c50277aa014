import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 16,
  key: "numa-hinting-faults",
  title: "mm: numa: Create basic numa page hinting infrastructure",
  author: "Mel Gorman",
  v10: "15",
  subsystems: ["mm-memory", "mm-huge-memory"],
  upstream,
  requires: [
    { step: 13, why: "handle_mm_fault() dispatches on step 13's pte_numa() and pmd_numa()" },
  ],
  apply(f) {
    f.numaHintingFaults = true;
  },
});
