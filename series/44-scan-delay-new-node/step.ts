import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 44,
  key: "scan-delay-new-node",
  title: "mm: sched: numa: Delay PTE scanning until a task is scheduled on a new node",
  author: "Mel Gorman",
  v10: "43",
  subsystems: ["sched-fair"],
  upstream,
  apply(f) {
    f.delayScanUntilNewNode = true;
  },
});
