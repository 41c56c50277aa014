import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 10,
  key: "migrate-tracepoint",
  title: "mm: migrate: Add a tracepoint for migrate_pages",
  author: "Mel Gorman",
  v10: "09",
  subsystems: ["mm-migrate"],
  upstream,
  requires: [{ step: 9, why: "the tracepoint reports the success and failure counts migrate_pages() keeps from step 9" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "only with tracing on (a trace line per migrate_pages call); the review's runs do not trace",
  },
  apply(f) {
    f.migrateTracepoint = true;
  },
});
