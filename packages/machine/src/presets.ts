import { MAX_NODES, makeTopology, type Topology, TopologyError } from "./topology.js";
import { parseDecimal } from "./decimal.js";

const GiB = 1024 ** 3;

/** A named machine: its shape and the hardware figures its cost model is calibrated on. */
export interface Preset {
  readonly name: string;
  readonly description: string;
  readonly topology: Topology;
  /** Key into COST_PROFILES. */
  readonly costProfile: string;
}

function preset(name: string, description: string, costProfile: string, mem: number[], cpus: number[], smt = 1): Preset {
  return { name, description, costProfile, topology: makeTopology({ name, memBytes: mem, cpusPerNode: cpus, threadsPerCore: smt }) };
}

const rep = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);

export const PRESETS: readonly Preset[] = [
  preset("default", "2 nodes x 4 CPUs, 2 GiB per node: small and fast, for a first look", "opteron-2012", rep(2, 2 * GiB), rep(2, 4)),
  preset("vega", "Ingo Molnar's Opteron 'vega': 4 nodes, 32 CPUs, 64 GiB (the perf bench numa calibration box)", "opteron-2012", rep(4, 16 * GiB), rep(4, 8)),
  preset("4n48c", "Mel Gorman's 4-node, 48-CPU test box (SPECjbb 4 JVMs, autonumabench)", "opteron-2012", rep(4, 16 * GiB), rep(4, 12), 2),
  preset(
    "8n64c",
    "Srikar Dronamraju's 8 nodes, 64 cores, unequal nodes: six 32 GiB and two 64 GiB",
    "opteron-2012",
    [...rep(6, 32 * GiB), ...rep(2, 64 * GiB)],
    rep(8, 8),
  ),
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}

const SIZE = /^(\d+(?:\.\d+)?)([KMGT]?)$/i;
const UNIT: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** Parse "2G", "512M" into bytes. */
export function parseSize(s: string): number {
  const m = SIZE.exec(s.trim());
  if (!m) throw new TopologyError(`'${s}' is not a size; write e.g. 512M, 2G or 1.5G`);
  return Math.round(parseDecimal(m[1]) * UNIT[m[2].toUpperCase()]);
}

/** Expand "32G*6+64G*2" / "8" into one value per node (counting the values before expanding them). */
function perNode<T>(spec: string, nodes: number, key: string, parse: (s: string) => T): T[] {
  const parts = spec.split("+").map((part) => {
    const [v, times, extra] = part.split("*");
    const k = times === undefined ? 1 : parseDecimal(times);
    if (extra !== undefined || !Number.isInteger(k) || k < 1) throw new TopologyError(`${key}: '${part}' has a bad repeat count; write VALUE*COUNT`);
    return { value: parse(v), count: k };
  });
  const count = parts.reduce((a, p) => a + p.count, 0);
  if (count === 1) return Array.from({ length: nodes }, () => parts[0].value);
  if (count !== nodes) throw new TopologyError(`${key} gives ${count} values for ${nodes} nodes; give one value or one per node`);
  return parts.flatMap((p) => Array.from({ length: p.count }, () => p.value));
}

export const TOPOLOGY_SYNTAX =
  "a preset name (" +
  PRESETS.map((p) => p.name).join(", ") +
  ") or nodes=N,cpus=C,mem=SIZE[,smt=T][,distance=D] where cpus and mem are per node and may list one value per node " +
  "joined by '+', with VALUE*COUNT repeats (e.g. nodes=8,cpus=8,mem=32G*6+64G*2)";

/** Parse a --topology value: a preset name or a key=value list. Throws TopologyError naming the problem. */
export function parseTopology(spec: string): Preset {
  const named = findPreset(spec);
  if (named) return named;
  if (!spec.includes("=")) throw new TopologyError(`unknown topology '${spec}'; use ${TOPOLOGY_SYNTAX}`);
  const kv = new Map<string, string>();
  for (const item of spec.split(",")) {
    const eq = item.indexOf("=");
    const key = item.slice(0, eq).trim();
    if (eq < 0 || !["nodes", "cpus", "mem", "smt", "distance"].includes(key))
      throw new TopologyError(`topology item '${item}' is not one of nodes=, cpus=, mem=, smt=, distance=`);
    if (kv.has(key)) throw new TopologyError(`topology gives ${key}= twice; give each of nodes=, cpus=, mem=, smt=, distance= once`);
    kv.set(key, item.slice(eq + 1).trim());
  }
  const nodes = parseDecimal(kv.get("nodes"));
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) throw new TopologyError(`topology needs nodes=N with N from 1 to ${MAX_NODES}`);
  const int = (key: string) => (s: string) => {
    const v = parseDecimal(s);
    if (!Number.isInteger(v) || v < 0) throw new TopologyError(`${key}: '${s}' is not a whole number`);
    return v;
  };
  const cpus = perNode(kv.get("cpus") ?? "4", nodes, "cpus", int("cpus"));
  const mem = perNode(kv.get("mem") ?? "2G", nodes, "mem", parseSize);
  const smt = int("smt")(kv.get("smt") ?? "1");
  const d = int("distance")(kv.get("distance") ?? "20");
  const distance = Array.from({ length: nodes }, (_, i) => Array.from({ length: nodes }, (_, j) => (i === j ? 10 : d)));
  return {
    name: spec,
    description: `custom: ${spec}`,
    costProfile: "opteron-2012",
    topology: makeTopology({ name: spec, memBytes: mem, cpusPerNode: cpus, threadsPerCore: smt, distance }),
  };
}
