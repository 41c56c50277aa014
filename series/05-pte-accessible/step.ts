import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 5,
  key: "pte-accessible",
  title: "x86/mm: Introduce pte_accessible()",
  author: "Rik van Riel",
  v10: "04",
  subsystems: ["arch-x86-pgtable"],
  upstream,
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never: the helper has no caller yet",
  },
  apply(f) {
    f.pteAccessible = true;
  },
});
