import { defineStep } from "../step.js";
import { moves, nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 26,
  key: "fault-driven-placement",
  title: "mm: numa: Add fault driven placement and migration",
  author: "Peter Zijlstra",
  v10: "25",
  subsystems: ["sched-fair", "mm-memory", "mm-huge-memory"],
  upstream,
  requires: [
    { step: 16, why: "the scanner's marks are taken by step 16's hinting-fault handlers" },
    { step: 22, why: "task_numa_fault() is told the node step 22's fault handlers migrated the page to" },
    { step: 24, why: "task_numa_work() marks memory with change_prot_numa() in step 24's change_protection() form" },
  ],
  observable: {
    claims: [
      nothingOn(reviewRun("remote-memory")),
      ...moves({ workload: "remote-memory", topology: "default", seconds: 8, thp: "always" }, { pgfault: "up", sys_scanner: "up", sys_hinting_faults: "up" }),
    ],
    when: "only once a task has used 5 s of CPU time: no task of the review's 4 s runs gets there, remote-memory run for 8 s does",
  },
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
