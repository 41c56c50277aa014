import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 23,
  key: "mpol-mf-lazy",
  title: "mm: mempolicy: Add MPOL_MF_LAZY",
  author: "Lee Schermerhorn",
  v10: "22",
  subsystems: ["mm-mempolicy"],
  upstream,
  requires: [
    { step: 13, why: "change_prot_numa() marks entries with step 13's pte_mknuma() and pmd_mknuma()" },
    { step: 19, why: "MPOL_MF_LAZY sets MPOL_F_MOF, the flag step 19 adds for mpol_misplaced()" },
  ],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "only system calls see it (delta.test.ts); the built-in workloads make no such call, so the review's runs are identical",
  },
  apply(f) {
    f.mbindLazy = true;
    f.mpolNoop = "retain";
    f.changeProtNuma = "own-walker";
  },
});
