import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 37,
  key: "last-nid",
  title: "mm: numa: Introduce last_nid to the page frame",
  author: "Mel Gorman",
  v10: "36",
  subsystems: ["mm-memory"],
  upstream,
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never in a run: last_nid is not read yet",
  },
  apply(f) {
    f.lastNid = true;
  },
});
