import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 19,
  key: "mpol-misplaced",
  title: "mm: mempolicy: Check for misplaced page",
  author: "Lee Schermerhorn",
  v10: "18",
  subsystems: ["mm-mempolicy"],
  upstream,
  apply(f) {
    f.mpolMisplaced = true;
  },
});
