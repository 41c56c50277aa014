import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 33,
  key: "ratelimit-structs",
  title: "mm: numa: Structures for Migrate On Fault per NUMA migration rate limiting",
  author: "Andrea Arcangeli",
  v10: "32",
  subsystems: ["mm-migrate"],
  upstream,
  requires: [{ step: 20, why: "the per-node state is for step 20's migrate_misplaced_page()" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never in a run: the new fields are not read yet",
  },
  apply(f) {
    f.migrateRatelimitState = true;
  },
});
