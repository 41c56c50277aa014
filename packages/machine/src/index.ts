/** @balancenuma/machine — the simulated hardware: topology, presets, cost model, memory bus. */
export * from "./topology.js";
export * from "./presets.js";
export * from "./cost.js";
export * from "./memory-bus.js";
export * from "./decimal.js";
