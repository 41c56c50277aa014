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
  apply(f) {
    f.numaHintingFaults = true;
  },
});
