import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 1,
  key: "pte-alloc-check",
  title: "mm: Check if PTE is already allocated during page fault",
  author: "Mel Gorman",
  v10: "v11 only",
  subsystems: ["mm-memory"],
  upstream,
  observable: {
    claims: [...moves(reviewRun("remote-memory"), { system: "down", sys_page_alloc: "down", pgalloc_normal: "down", numa_hit: "down" })],
    when: "every run whose faults land on pmds that already have a pte page: remote-memory allocates and frees one spare page per fault before this step",
  },
  apply(f) {
    f.pteAllocOnlyIfPmdNone = true;
  },
});
