/** @balancenuma/vmstat — vm_event_item counters, per-node stats and their /proc views. */
export * from "./items.js";
export * from "./count.js";
export * from "./proc-vmstat.js";
export * from "./node-files.js";
