import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 18,
  key: "mpol-noop",
  title: "mm: mempolicy: Add MPOL_NOOP",
  author: "Lee Schermerhorn",
  v10: "17",
  subsystems: ["mm-mempolicy"],
  upstream,
  requires: [{ step: 17, why: "MPOL_NOOP is the mode after step 17's MPOL_LOCAL (5, with MPOL_MAX 6)" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "only system calls see it (delta.test.ts); the built-in workloads make no such call, so the review's runs are identical",
  },
  apply(f) {
    f.mpolNoop = "like-default";
  },
});
