import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 6,
  key: "flush-accessible-only",
  title: "mm: Only flush the TLB when clearing an accessible pte",
  author: "Rik van Riel",
  v10: "05",
  subsystems: ["mm-memory"],
  upstream,
  requires: [
    {
      step: 5,
      why: "it flushes only when pte_accessible() says the old pte was accessible, and step 5 adds pte_accessible() (without it every pte counts as accessible)",
    },
  ],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "only unmaps of ptes without _PAGE_PRESENT change (delta.test.ts); the review's runs have none",
  },
  apply(f) {
    f.ptepClearFlushAccessibleOnly = true;
  },
});
