import { defineStep } from "../step.js";

export default defineStep({
  number: 23,
  key: "mpol-mf-lazy",
  title: "mm: mempolicy: Add MPOL_MF_LAZY",
  author: "Lee Schermerhorn",
  v10: "22",
  subsystems: ["mm-mempolicy"],
  apply(f) {
    f.mbindLazy = true;
    f.mpolNoop = "retain";
    f.changeProtNuma = "own-walker";
  },
});
