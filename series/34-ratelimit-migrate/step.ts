import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 34,
  key: "ratelimit-migrate",
  title: "mm: numa: Rate limit the amount of memory that is migrated between nodes",
  author: "Mel Gorman",
  v10: "33",
  subsystems: ["mm-migrate"],
  upstream,
  requires: [{ step: 33, why: "it counts in the per-node state step 33 adds" }],
  observable: {
    claims: [...moves(reviewRun("remote-memory"), { local_percent: "down", numa_hint_faults: "unchanged", numa_pages_migrated: "unchanged" })],
    when: "when more than 32768 pages head for one node within 100 ms: remote-memory's burst is cut into windows, so its pages move later (the same number by the end of 4 s) and less of its run is local",
  },
  apply(f) {
    f.migrateRatelimit = true;
  },
});
