import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 21,
  key: "misplaced-target-full",
  title: "mm: migrate: Drop the misplaced pages reference count if the target node is full",
  author: "Mel Gorman",
  v10: "20",
  subsystems: ["mm-migrate"],
  upstream,
  apply(f) {
    f.migrateMisplacedPage = "drops-reference";
  },
});
