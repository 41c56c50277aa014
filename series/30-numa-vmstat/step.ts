import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 30,
  key: "numa-vmstat",
  title: "mm: numa: Add pte updates, hinting and migration stats",
  author: "Mel Gorman",
  v10: "29",
  subsystems: ["vmstat", "mm-memory", "mm-migrate", "mm-mempolicy"],
  upstream,
  requires: [
    { step: 26, why: "its counters count what the scanner of step 26 and its hinting faults do" },
  ],
  apply(f) {
    f.numaVmstat = true;
  },
});
