import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 19,
  key: "mpol-misplaced",
  title: "mm: mempolicy: Check for misplaced page",
  author: "Lee Schermerhorn",
  v10: "18",
  subsystems: ["mm-mempolicy"],
  upstream,
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never in a run: mpol_misplaced has no caller yet",
  },
  apply(f) {
    f.mpolMisplaced = true;
  },
});
