import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 46,
  key: "migrate-fail-accounting",
  title: "mm: numa: Account for failed allocations and isolations as migration failures",
  author: "Mel Gorman",
  v10: "46",
  subsystems: ["mm-migrate"],
  upstream,
  requires: [{ step: 45, why: "it counts failures in step 45's migrate_misplaced_transhuge_page()" }],
  observable: {
    claims: [nothingOn(reviewRun("numa02"))],
    when: "only when a THP migration fails (no free huge page on the target node, or the page cannot be isolated; delta.test.ts); none fails in the review's runs",
  },
  apply(f) {
    f.thpMigrateFailAccounting = true;
  },
});
