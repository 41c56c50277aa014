import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 24,
  key: "change-prot-numa",
  title: "mm: mempolicy: Implement change_prot_numa() in terms of change_protection()",
  author: "Mel Gorman",
  v10: "23",
  subsystems: ["mm-mempolicy", "mm-mprotect", "mm-huge-memory"],
  upstream,
  requires: [{ step: 7, why: "change_prot_numa() now returns the count step 7's change_protection() returns" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never on an as-built kernel: nothing calls change_prot_numa yet",
  },
  apply(f) {
    f.changeProtNuma = "change-protection";
  },
});
