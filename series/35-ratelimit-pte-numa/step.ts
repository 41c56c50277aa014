import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 35,
  key: "ratelimit-pte-numa",
  title: "mm: numa: Rate limit setting of pte_numa if node is saturated",
  author: "Mel Gorman",
  v10: "34",
  subsystems: ["mm-migrate", "sched-fair"],
  upstream,
  apply(f) {
    f.pteNumaRatelimit = true;
  },
});
