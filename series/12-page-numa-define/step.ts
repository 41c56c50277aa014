import { defineStep } from "../step.js";

export default defineStep({
  number: 12,
  key: "page-numa-define",
  title: "mm: numa: define _PAGE_NUMA",
  author: "Andrea Arcangeli",
  v10: "11",
  subsystems: ["arch-x86-pgtable"],
  apply(f) {
    f.pageNumaDefined = true;
  },
});
