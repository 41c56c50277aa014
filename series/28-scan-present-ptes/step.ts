import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 28,
  key: "scan-present-ptes",
  title: "sched, numa, mm: Count WS scanning against present PTEs, not virtual memory ranges",
  author: "Mel Gorman",
  v10: "27",
  subsystems: ["sched-fair"],
  upstream,
  apply(f) {
    f.numaScanner = "present-ptes";
  },
});
