/** @balancenuma/machine — the simulated hardware: topology, presets, cost model, memory bus. */
export {
  makeTopology,
  defaultDistances,
  nodesWithCpus,
  MAX_NODES,
  MAX_CPUS,
  MAX_MEMORY_BYTES,
  LOCAL_DISTANCE,
  REMOTE_DISTANCE,
  TopologyError,
  type NodeSpec,
  type Topology,
  type TopologyInput,
} from "./topology.js";
export { findPreset, parseSize, parseTopology, PRESETS, TOPOLOGY_SYNTAX, type Preset } from "./presets.js";
export { distanceExponent, streamBandwidth, COST_PROFILES, type CostProfile } from "./cost.js";
export { MemoryBus } from "./memory-bus.js";
export { parseDecimal } from "./decimal.js";
