import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 4,
  key: "generic-local-flush-access-flags",
  title: "mm,generic: only flush the local TLB in ptep_set_access_flags",
  author: "Rik van Riel",
  v10: "03",
  subsystems: ["mm-memory"],
  upstream,
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never: x86 keeps its own version of the function",
  },
  apply(f) {
    f.genericPtepSetAccessFlagsFixSpurious = true;
  },
});
