/**
 * The simulated hardware's shape: NUMA nodes, their CPUs and memory, and the SLIT distance table.
 * Modelled on what `numactl --hardware` reports (arch/x86/mm/numa.c, drivers/acpi/numa.c: SLIT).
 */

export interface NodeSpec {
  /** Node id (dense, 0..nr_node_ids-1). */
  readonly id: number;
  /** Memory in bytes (a multiple of 2 MiB). */
  readonly memBytes: number;
  /** Logical CPU ids on this node; may be empty (a memory-only node). */
  readonly cpus: readonly number[];
}

export interface Topology {
  /** Short name shown in summaries ("default", "vega", ... or the --topology string). */
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
  /** SLIT distances, distance[from][to]; 10 on the diagonal. */
  readonly distance: readonly (readonly number[])[];
  /** Hardware threads per core (SMT); siblings are consecutive CPU ids on one node. */
  readonly threadsPerCore: number;
  /** cpuToNode[cpu] = node id. */
  readonly cpuToNode: readonly number[];
  readonly nrCpus: number;
}

/**
 * The largest machine the model runs. Host memory is what limits it: the model keeps 15 bytes per
 * simulated 4 KiB page (struct page, PAGE_STRUCT_BYTES), so 512 GiB of simulated memory takes 1.9 GiB
 * of host memory before any workload runs; the scheduler's per-CPU state grows with the square of
 * the CPUs on a node (measured at boot: 1024 CPUs on one node take about 150 MB of heap, 2048 take
 * 480 MB, 8192 exhaust the default heap). docs/running.md lists these limits.
 */
export const MAX_NODES = 64;
export const MAX_CPUS = 1024;
export const MAX_MEMORY_BYTES = 512 * 1024 ** 3;

export const LOCAL_DISTANCE = 10;
export const REMOTE_DISTANCE = 20;
const TWO_MIB = 2 * 1024 * 1024;

export interface TopologyInput {
  name: string;
  memBytes: readonly number[];
  cpusPerNode: readonly number[];
  threadsPerCore?: number;
  distance?: readonly (readonly number[])[];
}

/** Build a topology; CPU ids are assigned densely node by node. Throws TopologyError on bad shapes. */
export function makeTopology(input: TopologyInput): Topology {
  const n = input.memBytes.length;
  if (n < 1 || n > MAX_NODES) throw new TopologyError(`a machine has 1 to ${MAX_NODES} nodes, got ${n}`);
  if (input.cpusPerNode.length !== n)
    throw new TopologyError(`${input.cpusPerNode.length} CPU counts given for ${n} nodes; give one per node or a single value`);
  checkSize(input.memBytes, input.cpusPerNode);
  const threadsPerCore = input.threadsPerCore ?? 1;
  if (!Number.isInteger(threadsPerCore) || threadsPerCore < 1 || threadsPerCore > 8)
    throw new TopologyError(`smt must be a whole number from 1 to 8, got ${threadsPerCore}`);
  const nodes: NodeSpec[] = [];
  const cpuToNode: number[] = [];
  for (let id = 0; id < n; id++) {
    const mem = input.memBytes[id];
    if (!Number.isFinite(mem) || mem < TWO_MIB * 8 || mem % TWO_MIB !== 0)
      throw new TopologyError(`node ${id} memory must be a multiple of 2M and at least 16M, got ${mem} bytes`);
    const c = input.cpusPerNode[id];
    if (!Number.isInteger(c) || c < 0 || c > 1024) throw new TopologyError(`node ${id} CPU count must be 0..1024, got ${c}`);
    if (c % threadsPerCore !== 0) throw new TopologyError(`node ${id} has ${c} CPUs, not a multiple of smt=${threadsPerCore}`);
    const cpus: number[] = [];
    for (let i = 0; i < c; i++) {
      cpus.push(cpuToNode.length);
      cpuToNode.push(id);
    }
    nodes.push({ id, memBytes: mem, cpus });
  }
  if (cpuToNode.length === 0) throw new TopologyError("a machine needs at least one CPU");
  const distance = input.distance ?? defaultDistances(n);
  if (distance.length !== n || distance.some((row) => row.length !== n)) throw new TopologyError(`the distance table must be ${n}x${n}`);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const d = distance[i][j];
      if (i === j && d !== LOCAL_DISTANCE) throw new TopologyError(`distance[${i}][${i}] must be ${LOCAL_DISTANCE}, got ${d}`);
      if (i !== j && (!Number.isInteger(d) || d <= LOCAL_DISTANCE || d > 254)) throw new TopologyError(`distance[${i}][${j}] must be 11..254, got ${d}`);
    }
  return { name: input.name, nodes, distance, threadsPerCore, cpuToNode, nrCpus: cpuToNode.length };
}

/** The machine fits the host: at most MAX_CPUS CPUs and MAX_MEMORY_BYTES of memory in all (checked before anything is built). */
function checkSize(memBytes: readonly number[], cpusPerNode: readonly number[]): void {
  const mem = memBytes.reduce((a, b) => a + b, 0);
  const cpus = cpusPerNode.reduce((a, b) => a + b, 0);
  if (mem > MAX_MEMORY_BYTES)
    throw new TopologyError(
      `the machine has ${formatGiB(mem)} of memory; the model runs at most ${formatGiB(MAX_MEMORY_BYTES)} in all (15 bytes of host memory per simulated 4K page: 1.9 GiB at that size)`,
    );
  if (cpus > MAX_CPUS)
    throw new TopologyError(
      `the machine has ${cpus} CPUs; the model runs at most ${MAX_CPUS} in all (its scheduler state grows with the square of the CPUs per node)`,
    );
}

const formatGiB = (bytes: number) => `${Number((bytes / 1024 ** 3).toPrecision(6))}G`;

/** Every remote node at REMOTE_DISTANCE (what a BIOS without a SLIT gives). */
export function defaultDistances(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? LOCAL_DISTANCE : REMOTE_DISTANCE)));
}

/** Nodes with CPUs, in id order. */
export function nodesWithCpus(t: Topology): number[] {
  return t.nodes.filter((n) => n.cpus.length > 0).map((n) => n.id);
}

export class TopologyError extends Error {
  override name = "TopologyError";
}
