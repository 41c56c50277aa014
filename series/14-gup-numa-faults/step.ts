import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 14,
  key: "gup-numa-faults",
  title: "mm: numa: Support NUMA hinting page faults from gup/gup_fast",
  author: "Andrea Arcangeli",
  v10: "13",
  subsystems: ["mm-memory", "arch-x86-pgtable"],
  upstream,
  requires: [{ step: 13, why: "follow_page() refuses the entries step 13's pte_numa() and pmd_numa() report" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never on an as-built kernel: no hinting entries exist yet",
  },
  apply(f) {
    f.follNuma = true;
  },
});
