import { defineStep } from "../step.js";

export default defineStep({
  number: 35,
  key: "ratelimit-pte-numa",
  title: "mm: numa: Rate limit setting of pte_numa if node is saturated",
  author: "Mel Gorman",
  v10: "34",
  subsystems: ["mm-migrate", "sched-fair"],
  apply(f) {
    f.pteNumaRatelimit = true;
  },
});
