import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 25,
  key: "hide-noop-lazy",
  title: "mm: mempolicy: Hide MPOL_NOOP and MPOL_MF_LAZY from userspace for now",
  author: "Mel Gorman",
  v10: "24",
  subsystems: ["mm-mempolicy"],
  upstream,
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "only system calls see it (delta.test.ts); the built-in workloads make no such call, so the review's runs are identical",
  },
  apply(f) {
    f.mbindLazy = false;
    f.mpolNoop = "absent";
  },
});
