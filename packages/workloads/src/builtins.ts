import { MAP_ANONYMOUS, MADV_NOHUGEPAGE, MAP_PRIVATE, MPOL_BIND, MPOL_DEFAULT, PROT_READ, PROT_WRITE, RUN_BLOCKED, nodeMask } from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { call, Script, sweep } from "@balancenuma/userspace";
import { WorkloadError } from "@balancenuma/userspace";
import { ensureFitsAtScale, mappingBytes } from "./footprint.js";
import { AUTONUMABENCH } from "./autonumabench.js";
import { perfBenchNuma } from "./perf-bench-numa.js";
import { specjbb } from "./specjbb.js";
import { pft } from "./pft.js";
import { kbuild } from "./kbuild.js";
import { stream } from "./stream.js";
import type { Workload, WorkloadContext } from "./workload.js";
import { BUILTIN_WORKLOAD_NAMES, type BuiltinWorkloadName } from "./names.js";

export { WorkloadError };

const MiB = 1024 * 1024;

/** CPUs of a node as an affinity mask. */
function nodeCpuMask(k: KernelInstance, node: number): bigint {
  return k.topology.nodes[node].cpus.reduce((m, c) => m | (1n << BigInt(c)), 0n);
}

/** The two nodes with CPUs a two-node workload uses (the first two). */
function twoCpuNodes(k: KernelInstance, name: string): [number, number] {
  const withCpus = k.topology.nodes.filter((n) => n.cpus.length > 0).map((n) => n.id);
  if (withCpus.length < 2) throw new WorkloadError(`${name} needs two nodes with CPUs; this machine has ${withCpus.length}`);
  return [withCpus[0], withCpus[1]];
}

/** Size a buffer: the requested bytes, else a quarter of the smallest node, whole 2 MiB units. */
function bufferBytes(k: KernelInstance, ctx: WorkloadContext, fallbackFraction: number): number {
  const smallest = Math.min(...k.topology.nodes.map((n) => n.memBytes));
  const want = Math.min(512 * MiB, smallest * fallbackFraction) * (ctx.scale ?? 1);
  return Math.max(2 * MiB, Math.floor(want / (2 * MiB)) * 2 * MiB);
}

/**
 * remote-memory: one thread pinned to the second node with CPUs sweeps a buffer that was first
 * touched while the task was bound (MPOL_BIND) to the first node, then drops the binding
 * (set_mempolicy(MPOL_DEFAULT)). Without automatic NUMA balancing every access stays remote for ever.
 *
 * Two behaviours of the series decide the shape. The buffer uses 4 KiB pages (MADV_NOHUGEPAGE) so
 * that it moves within seconds: on huge pages the first scan pass's hinting faults all fail the
 * two-stage filter (step 40), each one lengthens the scan period (step 41) until it reaches its
 * 5 s maximum, and the buffer moves, whole huge pages at a time, only after about 11 s. And the
 * thread runs on the second node: from step 44 an exec'd mm starts with first_nid 0, so a task
 * that only ever runs on node 0 is never scanned.
 */
const remoteMemory: Workload = {
  name: "remote-memory",
  description: "one thread pinned on node 1 sweeps a 4 KiB-page buffer first touched on node 0 (remote for ever at step 0)",
  defaultSeconds: 10,
  start(k, ctx) {
    noArgs("remote-memory", ctx);
    const [memNode, runNode] = twoCpuNodes(k, "remote-memory");
    const bytes = bufferBytes(k, ctx, 0.25);
    ensureFitsAtScale(k, mappingBytes(bytes), "remote-memory", ctx.scale ?? 1, [], [memNode]);
    let buf = 0;
    const program = new Script([
      call("mmap", (u) => (buf = u.mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS))),
      call("madvise(MADV_NOHUGEPAGE)", (u) => u.madvise(buf, bytes, MADV_NOHUGEPAGE)),
      call("set_mempolicy(MPOL_BIND)", (u) => u.setMempolicy(MPOL_BIND, nodeMask(memNode), 64)),
      sweep(() => buf, bytes, { loops: 1 }),
      call("set_mempolicy(MPOL_DEFAULT)", (u) => u.setMempolicy(MPOL_DEFAULT, null, 0)),
      sweep(() => buf, bytes),
    ]);
    return { scale: ctx.scale ?? 1, tasks: [k.createProcess({ comm: "remote-memory", program, cpusAllowed: nodeCpuMask(k, runNode) })] };
  },
};

/**
 * private-halves: the main thread first-touches one buffer (so all of it lands on its node), then
 * two threads, pinned to two different nodes, each sweep their own half of it.
 */
const privateHalves: Workload = {
  name: "private-halves",
  description: "two threads on two nodes each sweep a private half of one buffer first touched by the main thread",
  defaultSeconds: 10,
  start(k, ctx) {
    noArgs("private-halves", ctx);
    const nodes = twoCpuNodes(k, "private-halves");
    const bytes = bufferBytes(k, ctx, 0.25);
    ensureFitsAtScale(k, mappingBytes(bytes), "private-halves", ctx.scale ?? 1);
    const half = bytes / 2;
    let buf = 0;
    const worker = (i: number) =>
      new Script([call("sched_setaffinity", (u) => u.schedSetaffinity(0, nodeCpuMask(k, nodes[i]))), sweep(() => buf + i * half, half)]);
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
    return { scale: ctx.scale ?? 1, tasks: [k.createProcess({ comm: "private-halves", program: main })] };
  },
};

function noArgs(name: string, ctx: WorkloadContext): void {
  if (ctx.args.length > 0) throw new WorkloadError(`${name} takes no options (got '${ctx.args.join(" ")}'); its size scales with --scale`);
}

/** The workloads by name, typed against names.ts's list (the light one help texts use): the two cannot drift. */
const REGISTRY: { readonly [N in BuiltinWorkloadName]: Workload } = {
  "remote-memory": remoteMemory,
  "private-halves": privateHalves,
  ...(Object.fromEntries(AUTONUMABENCH.map((w) => [w.name, w])) as Record<Extract<BuiltinWorkloadName, `numa${string}`>, Workload>),
  "perf-numa-mem": perfBenchNuma,
  specjbb,
  pft,
  kbuild,
  stream,
};

export const BUILTIN_WORKLOADS: readonly Workload[] = BUILTIN_WORKLOAD_NAMES.map((n) => REGISTRY[n]);

export function findWorkload(name: string): Workload {
  const w = BUILTIN_WORKLOADS.find((x) => x.name === name);
  if (!w) throw new WorkloadError(`unknown workload '${name}'; built-ins: ${BUILTIN_WORKLOADS.map((x) => x.name).join(", ")}`);
  return w;
}
