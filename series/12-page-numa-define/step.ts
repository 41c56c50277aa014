import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 12,
  key: "page-numa-define",
  title: "mm: numa: define _PAGE_NUMA",
  author: "Andrea Arcangeli",
  v10: "11",
  subsystems: ["arch-x86-pgtable"],
  upstream,
  apply(f) {
    f.pageNumaDefined = true;
  },
});
