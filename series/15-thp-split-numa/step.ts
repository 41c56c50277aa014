import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 15,
  key: "thp-split-numa",
  title: "mm: numa: split_huge_page: transfer the NUMA type from the pmd to the pte",
  author: "Andrea Arcangeli",
  v10: "14",
  subsystems: ["mm-huge-memory"],
  upstream,
  requires: [{ step: 13, why: "it marks the new ptes with pte_mknuma() when step 13's pmd_numa() says the huge pmd was hinted" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never on an as-built kernel: no huge pmd is marked yet",
  },
  apply(f) {
    f.splitHugePageKeepsNuma = true;
  },
});
