import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 17,
  key: "mpol-local",
  title: "mm: mempolicy: Make MPOL_LOCAL a real policy",
  author: "Peter Zijlstra",
  v10: "16",
  subsystems: ["mm-mempolicy"],
  upstream,
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "only system calls see it (delta.test.ts); the built-in workloads make no such call, so the review's runs are identical",
  },
  apply(f) {
    f.mpolLocal = true;
  },
});
