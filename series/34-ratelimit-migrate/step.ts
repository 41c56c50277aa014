import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 34,
  key: "ratelimit-migrate",
  title: "mm: numa: Rate limit the amount of memory that is migrated between nodes",
  author: "Mel Gorman",
  v10: "33",
  subsystems: ["mm-migrate"],
  upstream,
  requires: [
    { step: 33, why: "it counts in the per-node state step 33 adds" },
  ],
  apply(f) {
    f.migrateRatelimit = true;
  },
});
