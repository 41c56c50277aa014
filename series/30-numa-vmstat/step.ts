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
  apply(f) {
    f.numaVmstat = true;
  },
});
