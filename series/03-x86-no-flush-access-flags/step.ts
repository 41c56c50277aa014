import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 3,
  key: "x86-no-flush-access-flags",
  title: "x86: mm: drop TLB flush from ptep_set_access_flags",
  author: "Rik van Riel",
  v10: "02",
  subsystems: ["arch-x86-pgtable"],
  upstream,
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "only the TLB statistics of a write-upgrade fault change (delta.test.ts); the review's runs are identical",
  },
  apply(f) {
    f.x86PtepSetAccessFlagsFlush = "none";
  },
});
