import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 28,
  key: "scan-present-ptes",
  title: "sched, numa, mm: Count WS scanning against present PTEs, not virtual memory ranges",
  author: "Mel Gorman",
  v10: "27",
  subsystems: ["sched-fair"],
  upstream,
  observable: {
    claims: [...moves(reviewRun("remote-memory"), { pgfault: "unchanged", sys_scanner: "unchanged" })],
    when: "only passes over sparse or already-hinted memory go further; remote-memory's buffer is fully populated, so its passes mark the same pages (its timing shifts very slightly)",
  },
  apply(f) {
    f.numaScanner = "present-ptes";
  },
});
