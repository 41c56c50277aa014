import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 40,
  key: "two-stage-filter",
  title: "mm: numa: Use a two-stage filter to restrict pages being migrated for unlikely task<->node relationships",
  author: "Mel Gorman",
  v10: "39",
  subsystems: ["mm-mempolicy"],
  upstream,
  apply(f) {
    f.twoStageFilter = true;
  },
});
