import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 1,
  key: "pte-alloc-check",
  title: "mm: Check if PTE is already allocated during page fault",
  author: "Mel Gorman",
  v10: "v11 only",
  subsystems: ["mm-memory"],
  upstream,
  apply(f) {
    f.pteAllocOnlyIfPmdNone = true;
  },
});
