import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 47,
  key: "thp-ratelimit-accounting",
  title: "mm: migrate: Account a transhuge page properly when rate limiting",
  author: "Mel Gorman",
  v10: "47",
  subsystems: ["mm-migrate"],
  upstream,
  requires: [
    { step: 45, why: "it changes what step 45's migrate_misplaced_transhuge_page() charges to the rate limit" },
  ],
  apply(f) {
    f.thpRatelimitChargesHpage = true;
  },
});
