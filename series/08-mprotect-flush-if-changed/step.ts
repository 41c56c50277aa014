import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 8,
  key: "mprotect-flush-if-changed",
  title: "mm: Optimize the TLB flush of sys_mprotect() and change_protection() users",
  author: "Ingo Molnar",
  v10: "07",
  subsystems: ["mm-mprotect"],
  upstream,
  requires: [{ step: 7, why: "it flushes only when the count change_protection() returns from step 7 is not 0" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "only an mprotect() of untouched memory changes (delta.test.ts); the built-in workloads make none",
  },
  apply(f) {
    f.changeProtectionFlushIfChanged = true;
  },
});
