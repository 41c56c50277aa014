import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 27,
  key: "wss-rate",
  title: "mm: sched: numa: Implement constant, per task Working Set Sampling (WSS) rate",
  author: "Peter Zijlstra",
  v10: "26",
  subsystems: ["sched-fair"],
  upstream,
  observable: {
    claims: [...moves(reviewRun("remote-memory"), { pgfault: "up", sys_scanner: "up", sys_hinting_faults: "up", system: "up" })],
    when: "every run long enough for the scanner (100 ms of CPU time at this step)",
  },
  apply(f) {
    f.numaScanner = "virtual-window";
    f.scanPeriodMinMs = 100;
    f.scanPeriodMaxMs = 100 * 16;
    f.scanSizeMb = 256;
  },
});
