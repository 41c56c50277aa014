import { defineStep } from "../step.js";

export default defineStep({
  number: 18,
  key: "mpol-noop",
  title: "mm: mempolicy: Add MPOL_NOOP",
  author: "Lee Schermerhorn",
  v10: "17",
  subsystems: ["mm-mempolicy"],
  apply(f) {
    f.mpolNoop = "like-default";
  },
});
