import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_BIND,
  MPOL_DEFAULT,
  PROT_READ,
  PROT_WRITE,
  RUN_BLOCKED,
  nodeMask,
  type Task,
} from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { call, Script, sweep } from "./program.js";

/** A built-in workload: what it is, and how to start it on a booted kernel. */
export interface Workload {
  readonly name: string;
  readonly description: string;
  /** Start the workload's processes; returns the tasks it created at start. */
  start(k: KernelInstance, opts: WorkloadOptions): Task[];
}

export interface WorkloadOptions {
  /** Bytes of memory the workload works on (default: per workload, scaled to the machine). */
  bytes?: number;
}

export class WorkloadError extends Error {
  override name = "WorkloadError";
}

const MiB = 1024 * 1024;

/** CPUs of a node as an affinity mask. */
export function nodeCpuMask(k: KernelInstance, node: number): bigint {
  return k.topology.nodes[node].cpus.reduce((m, c) => m | (1n << BigInt(c)), 0n);
}

/** The two nodes with CPUs a two-node workload uses (the first two). */
function twoCpuNodes(k: KernelInstance, name: string): [number, number] {
  const withCpus = k.topology.nodes.filter((n) => n.cpus.length > 0).map((n) => n.id);
  if (withCpus.length < 2) throw new WorkloadError(`${name} needs two nodes with CPUs; this machine has ${withCpus.length}`);
  return [withCpus[0], withCpus[1]];
}

/** Size a buffer: the requested bytes, else a quarter of the smallest node, whole 2 MiB units. */
function bufferBytes(k: KernelInstance, opts: WorkloadOptions, fallbackFraction: number): number {
  const smallest = Math.min(...k.topology.nodes.map((n) => n.memBytes));
  const want = opts.bytes ?? Math.min(512 * MiB, smallest * fallbackFraction);
  return Math.max(2 * MiB, Math.floor(want / (2 * MiB)) * 2 * MiB);
}

/**
 * remote-memory: one thread pinned to node A sweeps a buffer that was first touched while the task
 * was bound (MPOL_BIND) to node B, then drops the binding (set_mempolicy(MPOL_DEFAULT)). Without
 * automatic NUMA balancing every access stays remote for ever.
 */
export const remoteMemory: Workload = {
  name: "remote-memory",
  description: "one thread pinned on node 0 sweeps a buffer first touched on node 1 (remote for ever at step 0)",
  start(k, opts) {
    const [runNode, memNode] = twoCpuNodes(k, "remote-memory");
    const bytes = bufferBytes(k, opts, 0.25);
    let buf = 0;
    const program = new Script([
      call("mmap", (u) => (buf = u.mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS))),
      call("set_mempolicy(MPOL_BIND)", (u) => u.setMempolicy(MPOL_BIND, nodeMask(memNode), 64)),
      sweep(() => buf, bytes, { loops: 1 }),
      call("set_mempolicy(MPOL_DEFAULT)", (u) => u.setMempolicy(MPOL_DEFAULT, null, 0)),
      sweep(() => buf, bytes),
    ]);
    return [k.createProcess({ comm: "remote-memory", program, cpusAllowed: nodeCpuMask(k, runNode) })];
  },
};

/**
 * private-halves: the main thread first-touches one buffer (so all of it lands on its node), then
 * two threads, pinned to two different nodes, each sweep their own half of it.
 */
export const privateHalves: Workload = {
  name: "private-halves",
  description: "two threads on two nodes each sweep a private half of one buffer first touched by the main thread",
  start(k, opts) {
    const nodes = twoCpuNodes(k, "private-halves");
    const bytes = bufferBytes(k, opts, 0.25);
    const half = bytes / 2;
    let buf = 0;
    const worker = (i: number) =>
      new Script([
        call("sched_setaffinity", (u) => u.schedSetaffinity(0, nodeCpuMask(k, nodes[i]))),
        sweep(() => buf + i * half, half),
      ]);
    const tids: number[] = [];
    const main = new Script([
      call("mmap", (u) => (buf = u.mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS))),
      sweep(() => buf, bytes, { loops: 1 }),
      call("clone", (u) => {
        tids.push(u.cloneThread(worker(0), "half-0"), u.cloneThread(worker(1), "half-1"));
        return 0;
      }),
      (u) => (u.waitFor(tids) === RUN_BLOCKED ? RUN_BLOCKED : "next"),
    ]);
    return [k.createProcess({ comm: "private-halves", program: main })];
  },
};

export const BUILTIN_WORKLOADS: readonly Workload[] = [remoteMemory, privateHalves];

export function findWorkload(name: string): Workload {
  const w = BUILTIN_WORKLOADS.find((x) => x.name === name);
  if (!w) throw new WorkloadError(`unknown workload '${name}'; built-ins: ${BUILTIN_WORKLOADS.map((x) => x.name).join(", ")}`);
  return w;
}
