import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 47,
  key: "thp-ratelimit-accounting",
  title: "mm: migrate: Account a transhuge page properly when rate limiting",
  author: "Mel Gorman",
  v10: "47",
  subsystems: ["mm-migrate"],
  upstream,
  requires: [{ step: 45, why: "it changes what step 45's migrate_misplaced_transhuge_page() charges to the rate limit" }],
  observable: {
    claims: [nothingOn(reviewRun("numa02"))],
    when: "only when more than 65 huge pages head for one node within 100 ms; numa02 in the review moves fewer",
  },
  apply(f) {
    f.thpRatelimitChargesHpage = true;
  },
});
