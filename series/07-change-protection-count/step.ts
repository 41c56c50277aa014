import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 7,
  key: "change-protection-count",
  title: "mm: Count the number of pages affected in change_protection()",
  author: "Peter Zijlstra",
  v10: "06",
  subsystems: ["mm-mprotect", "mm-huge-memory"],
  upstream,
  apply(f) {
    f.changeProtectionCounts = true;
  },
});
