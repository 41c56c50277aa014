import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 44,
  key: "scan-delay-new-node",
  title: "mm: sched: numa: Delay PTE scanning until a task is scheduled on a new node",
  author: "Mel Gorman",
  v10: "43",
  subsystems: ["sched-fair"],
  upstream,
  requires: [{ step: 26, why: "it delays step 26's task_numa_work()" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "only for processes whose threads all stay on the node they started on; every review workload runs threads on two nodes, so remote-memory's run is identical",
  },
  apply(f) {
    f.delayScanUntilNewNode = true;
  },
});
