import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 29,
  key: "wss-slow-start",
  title: "mm: sched: numa: Implement slow start for working set sampling",
  author: "Peter Zijlstra",
  v10: "28",
  subsystems: ["sched-fair"],
  upstream,
  requires: [
    { step: 26, why: "slow start delays the scanner of step 26" },
  ],
  apply(f) {
    f.scanDelayMs = 1000;
  },
});
