import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 9,
  key: "migrate-stats",
  title: "mm: compaction: Move migration fail/success stats to migrate.c",
  author: "Mel Gorman",
  v10: "08",
  subsystems: ["mm-migrate", "vmstat"],
  upstream,
  observable: {
    claims: [...moves(reviewRun("remote-memory"), { pgmigrate_success: "appears", pgmigrate_fail: "appears" })],
    when: "always: the counters exist from this step (they stay 0 until something migrates)",
  },
  apply(f) {
    f.migrateStats = true;
  },
});
