import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 2,
  key: "x86-local-flush-access-flags",
  title: "x86: mm: only do a local tlb flush in ptep_set_access_flags()",
  author: "Rik van Riel",
  v10: "01",
  subsystems: ["arch-x86-pgtable"],
  upstream,
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "only the TLB statistics of a write-upgrade fault change (delta.test.ts); the review's runs are identical",
  },
  apply(f) {
    f.x86PtepSetAccessFlagsFlush = "local";
  },
});
