import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 20,
  key: "migrate-misplaced-page",
  title: "mm: migrate: Introduce migrate_misplaced_page()",
  author: "Peter Zijlstra",
  v10: "19",
  subsystems: ["mm-migrate"],
  upstream,
  requires: [{ step: 10, why: "it migrates with reason MR_NUMA_MISPLACED, added to step 10's enum migrate_reason" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never in a run: migrate_misplaced_page has no caller yet",
  },
  apply(f) {
    f.migrateMisplacedPage = "leaks-reference";
  },
});
