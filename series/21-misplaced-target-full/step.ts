import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 21,
  key: "misplaced-target-full",
  title: "mm: migrate: Drop the misplaced pages reference count if the target node is full",
  author: "Mel Gorman",
  v10: "20",
  subsystems: ["mm-migrate"],
  upstream,
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never in a run: migrate_misplaced_page has no caller yet",
  },
  apply(f) {
    f.migrateMisplacedPage = "drops-reference";
  },
});
