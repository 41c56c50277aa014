import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 6,
  key: "flush-accessible-only",
  title: "mm: Only flush the TLB when clearing an accessible pte",
  author: "Rik van Riel",
  v10: "05",
  subsystems: ["mm-memory"],
  upstream,
  apply(f) {
    f.ptepClearFlushAccessibleOnly = true;
  },
});
