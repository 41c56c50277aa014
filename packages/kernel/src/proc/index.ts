/** The kernel's /proc views beyond /proc/vmstat (which @balancenuma/vmstat renders). */
export { renderNumaMaps } from "./numa-maps.js";
export { renderStatus } from "./status.js";
export { renderNumastat, renderNumastatSystem, type NumastatProcess, type NumastatOptions } from "./numastat.js";
