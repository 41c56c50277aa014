import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 18,
  key: "mpol-noop",
  title: "mm: mempolicy: Add MPOL_NOOP",
  author: "Lee Schermerhorn",
  v10: "17",
  subsystems: ["mm-mempolicy"],
  upstream,
  apply(f) {
    f.mpolNoop = "like-default";
  },
});
