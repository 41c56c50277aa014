import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 5,
  key: "pte-accessible",
  title: "x86/mm: Introduce pte_accessible()",
  author: "Rik van Riel",
  v10: "04",
  subsystems: ["arch-x86-pgtable"],
  upstream,
  apply(f) {
    f.pteAccessible = true;
  },
});
