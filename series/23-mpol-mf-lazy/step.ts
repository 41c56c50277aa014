import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 23,
  key: "mpol-mf-lazy",
  title: "mm: mempolicy: Add MPOL_MF_LAZY",
  author: "Lee Schermerhorn",
  v10: "22",
  subsystems: ["mm-mempolicy"],
  upstream,
  apply(f) {
    f.mbindLazy = true;
    f.mpolNoop = "retain";
    f.changeProtNuma = "own-walker";
  },
});
