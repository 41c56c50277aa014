/** @balancenuma/machine — the simulated hardware: topology, presets, cost model, memory bus, event queue. */
export * from "./topology.js";
export * from "./presets.js";
export * from "./cost.js";
export * from "./memory-bus.js";
export * from "./event-queue.js";
export * from "./decimal.js";
