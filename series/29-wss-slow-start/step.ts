import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 29,
  key: "wss-slow-start",
  title: "mm: sched: numa: Implement slow start for working set sampling",
  author: "Peter Zijlstra",
  v10: "28",
  subsystems: ["sched-fair"],
  upstream,
  requires: [{ step: 26, why: "slow start delays the scanner of step 26" }],
  observable: {
    claims: [...moves(reviewRun("remote-memory"), { pgfault: "down", sys_scanner: "down", sys_hinting_faults: "down" })],
    when: "every run: scanning starts after 1000 ms of CPU time instead of 100 ms, so a 4 s run gets fewer passes",
  },
  apply(f) {
    f.scanDelayMs = 1000;
  },
});
