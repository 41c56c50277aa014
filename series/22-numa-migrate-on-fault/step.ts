import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 22,
  key: "numa-migrate-on-fault",
  title: "mm: mempolicy: Use _PAGE_NUMA to migrate pages",
  author: "Mel Gorman",
  v10: "21",
  subsystems: ["mm-memory", "mm-huge-memory"],
  upstream,
  apply(f) {
    f.numaFaultMigrates = true;
  },
});
