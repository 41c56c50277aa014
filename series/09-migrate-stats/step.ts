import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 9,
  key: "migrate-stats",
  title: "mm: compaction: Move migration fail/success stats to migrate.c",
  author: "Mel Gorman",
  v10: "08",
  subsystems: ["mm-migrate", "vmstat"],
  upstream,
  apply(f) {
    f.migrateStats = true;
  },
});
