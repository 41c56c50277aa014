/**
 * autonuma-benchmark (Andrea Arcangeli, 2012, commit fdf7a42 as mmtests ran it): numa01,
 * numa01_THREAD_ALLOC (mmtests' NUMA01_THREADLOCAL), numa02, numa02_SMT and their HARD_BIND and
 * INVERSE_BIND builds. Each is generated as a workload spec for the machine it runs on, the way
 * preproc.awk specialised the C sources from `numactl --hardware`, and run by the spec runner, so
 * `balancenuma run --workload-file docs/workloads/numa02.yaml` is the same program.
 */
import { NSEC_PER_SEC } from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { WorkloadError } from "@balancenuma/userspace";
import { ensureFitsAtScale } from "./footprint.js";
import { specMemory } from "./spec-checks.js";
import { PassTally, passesScore, startSpec } from "./spec-run.js";
import type { Phase, Policy, ProcessSpec, ThreadGroup, WorkloadSpec } from "./spec.js";
import type { Workload } from "./workload.js";
import { AUTONUMA_BINDS, AUTONUMA_TESTS, autonumaName, type AutonumaBind, type AutonumaTest } from "./names.js";

const GiB = 1024 ** 3;

/** The machine facts preproc.awk reads from `numactl --hardware`. */
export interface AutonumaMachine {
  /** "available: N nodes". */
  nodes: number;
  /** Highest CPU id + 1. */
  cpus: number;
  /** CPU ids per node. */
  nodeCpus: readonly (readonly number[])[];
  /** Memory per node, bytes. */
  nodeMem: readonly number[];
}

export function autonumaMachine(k: KernelInstance): AutonumaMachine {
  return {
    nodes: k.topology.nodes.length,
    cpus: k.topology.nrCpus,
    nodeCpus: k.topology.nodes.map((n) => n.cpus),
    nodeMem: k.topology.nodes.map((n) => n.memBytes),
  };
}

/** Original memory of a test, bytes: 2 x 3 GiB for numa01*, 1 GiB for numa02*. */
function originalBytes(test: AutonumaTest): number {
  return test.startsWith("numa01") ? 2 * 3 * GiB : GiB;
}

/**
 * The default memory scale on a machine: the largest power of two <= 1 at which the test's whole
 * memory fits in half of the smallest node (every variant first-touches everything on one node or
 * binds a process to half the machine). `--scale 1` runs the original sizes.
 */
export function defaultAutonumaScale(test: AutonumaTest, m: AutonumaMachine): number {
  const room = Math.min(...m.nodeMem) / 2;
  let s = 1;
  while (s > 1 / 1024 && originalBytes(test) * s > room) s /= 2;
  return s;
}

const bind = (nodes: number[]): Policy => ({ mode: "bind", nodes });
const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
const access = (region: string, loops: number, slice?: "thread" | { index: number; of: number }): Phase => ({
  access: {
    region,
    pattern: "sequential",
    slice,
    loops,
    write: true,
    backward: false,
    bytesPerTouch: 4096,
    kind: "stream",
    hotFraction: 0.1,
    hotProbability: 0.9,
    chunkBytes: 8192,
  },
});

/**
 * The spec of one autonumabench build on a machine. `seed` stands for time(NULL): its parity picks
 * the node numa01 forces all first touches onto (nodemask_global = (time & 1) + 1).
 */
export function autonumaSpec(test: AutonumaTest, variant: AutonumaBind, m: AutonumaMachine, seed: number, scale: number): WorkloadSpec {
  if (m.nodes < 2) throw new WorkloadError(`autonumabench needs at least 2 nodes (start_bench.sh aborts); this machine has ${m.nodes}`);
  const name = autonumaName(test, variant);
  const size = Math.max(2 * 1024 * 1024, Math.floor(((originalBytes(test) / (test.startsWith("numa01") ? 2 : 1)) * scale) / 4096) * 4096);
  const region = { name: "buf", size, thp: "default" as const, firstTouch: "none" as const };
  const comm = test.startsWith("numa01") ? (test === "numa01" ? "numa01" : "numa01_THREAD_A") : test === "numa02" ? "numa02" : "numa02_SMT";

  if (test === "numa01" || test === "numa01-threadlocal") {
    const threads = Math.max(1, Math.floor(m.cpus / 2));
    const half = Math.floor(m.nodes / 2);
    const mask1 = range(0, half);
    const mask2 = range(half, m.nodes);
    const forced = seed & 1; // (time & 1) + 1 = node mask 0b01 or 0b10
    const loops = test === "numa01" ? 50 : 1000;
    const phases: Phase[] = [];
    if (variant === "none") phases.push({ mempolicy: bind([forced]) });
    phases.push(access("buf", 1));
    if (variant === "none") phases.push({ mempolicy: { mode: "default" } });
    phases.push(access("buf", loops, test === "numa01" ? undefined : "thread"));
    const group: ThreadGroup = { count: threads, regions: [], phases };
    const proc = (cpuNodes: number[], memNodes: number[] | null): ProcessSpec => ({
      name: comm,
      count: 1,
      cpus: variant === "none" ? undefined : { nodes: cpuNodes },
      mempolicy: memNodes ? bind(memNodes) : undefined,
      regions: [region],
      main: [],
      threads: [group],
    });
    // fork(): the parent takes the second half of the machine, the child the first. INVERSE_BIND
    // meant to swap the memory masks, but both branches test NODEMASK1: only the child goes remote.
    const processes =
      variant === "none"
        ? [proc([], null), proc([], null)]
        : variant === "hard"
          ? [proc(mask2, mask2), proc(mask1, mask1)]
          : [proc(mask2, mask2), proc(mask1, mask2)];
    return { name, description: description(test, variant), processes };
  }

  const threads = Math.max(1, test === "numa02" ? m.cpus : Math.floor(m.cpus / 2));
  const perNode = Math.max(1, Math.floor(threads / m.nodes));
  const nodeOf = (i: number) => Math.min(m.nodes - 1, Math.floor((variant === "inverse" ? threads - 1 - i : i) / perNode));
  // BINDMAP: the main thread zeroes slice n of the buffer after bind(n), which only binds in
  // HARD_BIND builds; otherwise it first-touches the whole buffer on its own node.
  const main: Phase[] = [];
  for (let n = 0; n < m.nodes; n++) {
    if (variant !== "none") main.push({ affinity: { nodes: [n] } }, { mempolicy: bind([n]) });
    main.push(access("buf", 1, { index: n, of: m.nodes }));
  }
  const groups: ThreadGroup[] = [];
  if (variant === "none") groups.push({ count: threads, regions: [], phases: [access("buf", 800, "thread")] });
  else
    for (let i = 0; i < threads; i++) {
      const node = nodeOf(i);
      const last = groups[groups.length - 1];
      if (last && last.mempolicy && "nodes" in last.mempolicy && last.mempolicy.nodes[0] === node) (last as { count: number }).count++;
      else groups.push({ count: 1, cpus: { nodes: [node] }, mempolicy: bind([node]), regions: [], phases: [access("buf", 800, "thread")] });
    }
  return { name, description: description(test, variant), processes: [{ name: comm, count: 1, regions: [region], main, threads: groups }] };
}

function description(test: AutonumaTest, variant: AutonumaBind): string {
  const what: Record<AutonumaTest, string> = {
    numa01: "autonumabench NUMA01: 2 processes x nr_cpus/2 threads, each thread zeroes its process's whole 3 GiB buffer 50 times",
    "numa01-threadlocal": "autonumabench NUMA01_THREADLOCAL: 2 processes x nr_cpus/2 threads, 1000 passes over a private slice of 3 GiB",
    numa02: "autonumabench NUMA02: 1 process x nr_cpus threads, 800 passes over a private slice of 1 GiB first touched by main",
    "numa02-smt": "autonumabench NUMA02_SMT: as NUMA02 with nr_cpus/2 threads",
  };
  return what[test] + (variant === "hard" ? " (HARD_BIND: manual optimum)" : variant === "inverse" ? " (INVERSE_BIND: deliberately misplaced)" : "");
}

function autonumaWorkload(test: AutonumaTest, variant: AutonumaBind): Workload {
  const spec0 = autonumaSpec(
    test,
    variant,
    {
      nodes: 2,
      cpus: 8,
      nodeCpus: [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
      ],
      nodeMem: [2 * GiB, 2 * GiB],
    },
    1,
    1,
  );
  return {
    name: spec0.name,
    description: spec0.description,
    usage: "none (sizes: --scale)",
    defaultSeconds: 3600,
    start(k, ctx) {
      if (ctx.args.length > 0) throw new WorkloadError(`${spec0.name} takes no options (got '${ctx.args.join(" ")}'); sizes scale with --scale`);
      const m = autonumaMachine(k);
      const scale = ctx.scale ?? defaultAutonumaScale(test, m);
      const spec = autonumaSpec(test, variant, m, ctx.seed, scale);
      const need = originalBytes(test) * scale;
      const node = Math.min(...m.nodeMem);
      if (need > node && variant === "none")
        throw new WorkloadError(
          `${spec.name} at scale ${scale} first-touches ${(need / GiB).toFixed(2)} GiB on one node; this machine's nodes have ${(node / GiB).toFixed(2)} GiB (use a smaller --scale)`,
        );
      // numa01 binds every thread's first pass to the node its clock picked (MPOL_BIND): that node must hold it all.
      if (variant === "none" && test.startsWith("numa01")) ensureFitsAtScale(k, specMemory(spec, 1).total, spec.name, scale, [], [ctx.seed & 1]);
      const tally = new PassTally();
      const tasks = startSpec(k, spec, 1, scale, tally);
      return { scale, spec, tasks, progress: () => tally.fraction(), score: (kk) => passesScore(spec.name, tally, kk.time / NSEC_PER_SEC) };
    },
  };
}

export const AUTONUMABENCH: readonly Workload[] = AUTONUMA_TESTS.flatMap((t) => AUTONUMA_BINDS.map((v) => autonumaWorkload(t, v)));
