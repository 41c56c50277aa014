import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 45,
  key: "thp-migrate",
  title: "mm: numa: Add THP migration for the NUMA working set scanning fault case. (with its build fix folded in)",
  author: "Mel Gorman",
  v10: "44+45",
  subsystems: ["mm-huge-memory", "mm-migrate"],
  upstream,
  apply(f) {
    f.thpMigrate = true;
  },
});
