import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 37,
  key: "last-nid",
  title: "mm: numa: Introduce last_nid to the page frame",
  author: "Mel Gorman",
  v10: "36",
  subsystems: ["mm-memory"],
  upstream,
  apply(f) {
    f.lastNid = true;
  },
});
