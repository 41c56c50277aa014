import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 20,
  key: "migrate-misplaced-page",
  title: "mm: migrate: Introduce migrate_misplaced_page()",
  author: "Peter Zijlstra",
  v10: "19",
  subsystems: ["mm-migrate"],
  upstream,
  apply(f) {
    f.migrateMisplacedPage = "leaks-reference";
  },
});
