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
  apply(f) {
    f.scanDelayMs = 1000;
  },
});
