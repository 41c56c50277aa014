import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 17,
  key: "mpol-local",
  title: "mm: mempolicy: Make MPOL_LOCAL a real policy",
  author: "Peter Zijlstra",
  v10: "16",
  subsystems: ["mm-mempolicy"],
  upstream,
  apply(f) {
    f.mpolLocal = true;
  },
});
