import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 25,
  key: "hide-noop-lazy",
  title: "mm: mempolicy: Hide MPOL_NOOP and MPOL_MF_LAZY from userspace for now",
  author: "Mel Gorman",
  v10: "24",
  subsystems: ["mm-mempolicy"],
  upstream,
  apply(f) {
    f.mbindLazy = false;
    f.mpolNoop = "absent";
  },
});
