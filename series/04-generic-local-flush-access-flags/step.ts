import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 4,
  key: "generic-local-flush-access-flags",
  title: "mm,generic: only flush the local TLB in ptep_set_access_flags",
  author: "Rik van Riel",
  v10: "03",
  subsystems: ["mm-memory"],
  upstream,
  apply(f) {
    f.genericPtepSetAccessFlagsFixSpurious = true;
  },
});
