import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 20,
  key: "migrate-misplaced-page",
  title: "mm: migrate: Introduce migrate_misplaced_page()",
  author: "Peter Zijlstra",
  v10: "19",
  subsystems: ["mm-migrate"],
  upstream,
  requires: [
    { step: 10, why: "it migrates with reason MR_NUMA_MISPLACED, added to step 10's enum migrate_reason" },
  ],
  apply(f) {
    f.migrateMisplacedPage = "leaks-reference";
  },
});
