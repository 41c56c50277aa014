import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 32,
  key: "pmd-numa-migrate",
  title: "mm: numa: Migrate pages handled during a pmd_numa hinting fault",
  author: "Mel Gorman",
  v10: "31",
  subsystems: ["mm-memory"],
  upstream,
  apply(f) {
    f.pmdNumaMigrate = true;
  },
});
