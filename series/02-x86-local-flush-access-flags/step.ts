import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 2,
  key: "x86-local-flush-access-flags",
  title: "x86: mm: only do a local tlb flush in ptep_set_access_flags()",
  author: "Rik van Riel",
  v10: "01",
  subsystems: ["arch-x86-pgtable"],
  upstream,
  apply(f) {
    f.x86PtepSetAccessFlagsFlush = "local";
  },
});
