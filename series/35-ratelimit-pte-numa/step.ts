import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 35,
  key: "ratelimit-pte-numa",
  title: "mm: numa: Rate limit setting of pte_numa if node is saturated",
  author: "Mel Gorman",
  v10: "34",
  subsystems: ["mm-migrate", "sched-fair"],
  upstream,
  requires: [
    { step: 26, why: "it is a check in step 26's task_numa_work()" },
    { step: 34, why: "it stops the scanner when step 34's count says the node is saturated" },
  ],
  observable: {
    claims: [...moves(reviewRun("remote-memory"), { numa_pte_updates: "down", local_percent: "down" })],
    when: "when a node receives migrations at the limit, as remote-memory's node does in its first burst",
  },
  apply(f) {
    f.pteNumaRatelimit = true;
  },
});
