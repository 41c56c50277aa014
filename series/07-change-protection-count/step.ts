import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 7,
  key: "change-protection-count",
  title: "mm: Count the number of pages affected in change_protection()",
  author: "Peter Zijlstra",
  v10: "06",
  subsystems: ["mm-mprotect", "mm-huge-memory"],
  upstream,
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never in a run: only change_protection's return value changes",
  },
  apply(f) {
    f.changeProtectionCounts = true;
  },
});
