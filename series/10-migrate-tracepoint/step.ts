import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 10,
  key: "migrate-tracepoint",
  title: "mm: migrate: Add a tracepoint for migrate_pages",
  author: "Mel Gorman",
  v10: "09",
  subsystems: ["mm-migrate"],
  upstream,
  apply(f) {
    f.migrateTracepoint = true;
  },
});
