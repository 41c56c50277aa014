import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 46,
  key: "migrate-fail-accounting",
  title: "mm: numa: Account for failed allocations and isolations as migration failures",
  author: "Mel Gorman",
  v10: "46",
  subsystems: ["mm-migrate"],
  upstream,
  apply(f) {
    f.thpMigrateFailAccounting = true;
  },
});
