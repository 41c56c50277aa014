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
  requires: [
    { step: 31, why: "the filter sits in mpol_misplaced()'s MPOL_F_MORON branch, which step 31 adds" },
    { step: 37, why: "the filter keeps its state in page->_last_nid, which step 37 adds" },
  ],
  apply(f) {
    f.twoStageFilter = true;
  },
});
