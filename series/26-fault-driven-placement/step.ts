import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 26,
  key: "fault-driven-placement",
  title: "mm: numa: Add fault driven placement and migration",
  author: "Peter Zijlstra",
  v10: "25",
  subsystems: ["sched-fair", "mm-memory", "mm-huge-memory"],
  upstream,
  apply(f) {
    // x86 now selects ARCH_SUPPORTS_NUMA_BALANCING: the option can be enabled, and the simulated
    // kernel is built with it from here on.
    f.CONFIG_NUMA_BALANCING = true;
    f.numaScanner = "whole-address-space";
    f.schedFeatNumaDefault = true;
    f.scanPeriodMinMs = 5000;
    f.scanPeriodMaxMs = 5000 * 16;
  },
});
