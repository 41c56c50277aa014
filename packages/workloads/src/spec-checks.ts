/**
 * What a workload spec asks of the machine it runs on, checked before anything runs: the CPUs and
 * nodes it names exist, and the memory it maps fits (in all, and where it binds memory to nodes).
 */
import type { KernelInstance } from "@balancenuma/kernel";
import { ensureFitsAtScale, mappingBytes, scaledBytes } from "./footprint.js";
import type { CpuSet, Phase, Policy, Region, WorkloadSpec } from "./spec.js";
import { problemsError, type Problem } from "./spec-problems.js";
import { formatPath } from "./field-path.js";

/**
 * Throw a WorkloadError naming the spec's file (or the built-in) if its CPUs, nodes or memory do not
 * fit this machine. `askedScale` is the --scale messages speak of (sizes may come already scaled).
 */
export function checkSpecOnMachine(k: KernelInstance, spec: WorkloadSpec, scale: number, askedScale: number): void {
  const source = spec.source ?? spec.name;
  const problems = machineProblems(k, spec);
  if (problems.length > 0) throw problemsError(source, problems);
  const memory = specMemory(spec, scale);
  const fixes = spec.source === undefined ? [] : ["smaller region sizes in the file"];
  ensureFitsAtScale(k, memory.total, source, askedScale, fixes);
  // Memory bound to some nodes must fit them, with all the memory bound within those nodes.
  for (const { nodes } of memory.bound.values()) {
    let bytes = 0;
    for (const other of memory.bound.values()) if (other.nodes.every((n) => nodes.includes(n))) bytes += other.bytes;
    ensureFitsAtScale(k, bytes, source, askedScale, fixes, nodes);
  }
}

/** Why a CpuSet cannot be honoured on this machine, or null. */
function cpuSetProblem(k: KernelInstance, s: CpuSet): string | null {
  if (Array.isArray(s)) {
    const bad = s.find((c) => c >= k.topology.nrCpus);
    return bad === undefined ? null : `expected CPU ids below ${k.topology.nrCpus} on this machine, got ${bad}`;
  }
  if (s === "all") return null;
  return (
    nodesProblem(k, s.nodes) ??
    (s.nodes.some((n) => k.topology.nodes[n].cpus.length > 0) ? null : `expected nodes with CPUs; nodes ${s.nodes.join(",")} have none`)
  );
}

function nodesProblem(k: KernelInstance, nodes: readonly number[]): string | null {
  const bad = nodes.find((n) => n >= k.topology.nodes.length);
  return bad === undefined ? null : `expected node ids below ${k.topology.nodes.length} on this machine, got ${bad}`;
}

/** Every CPU set and memory policy of a spec that names CPUs or nodes, checked against this machine. */
function machineProblems(k: KernelInstance, spec: WorkloadSpec): Problem[] {
  const out: Problem[] = [];
  const cpus = (s: CpuSet | undefined, path: string) => {
    const why = s === undefined ? null : cpuSetProblem(k, s);
    if (why) out.push({ path: Array.isArray(s) || s === "all" ? path : `${path}.nodes`, message: why });
  };
  const policy = (p: Policy | undefined, path: string) => {
    const why = p !== undefined && "nodes" in p ? nodesProblem(k, p.nodes) : null;
    if (why) out.push({ path: `${path}.nodes`, message: why });
  };
  const phases = (list: readonly Phase[], path: string) => {
    list.forEach((ph, i) => {
      if ("affinity" in ph) cpus(ph.affinity, `${path}[${i}].affinity`);
      if ("mempolicy" in ph) policy(ph.mempolicy, `${path}[${i}].mempolicy`);
    });
  };
  const regions = (list: readonly Region[], path: string) => {
    list.forEach((r, i) => {
      policy(r.policy, `${path}[${i}].policy`);
    });
  };
  spec.processes.forEach((p, pi) => {
    const pp = formatPath(["processes", pi]);
    cpus(p.cpus, `${pp}.cpus`);
    policy(p.mempolicy, `${pp}.mempolicy`);
    regions(p.regions, `${pp}.regions`);
    phases(p.main, `${pp}.main`);
    p.threads.forEach((g, gi) => {
      const gp = `${pp}.threads[${gi}]`;
      cpus(g.cpus, `${gp}.cpus`);
      policy(g.mempolicy, `${gp}.mempolicy`);
      regions(g.regions, `${gp}.regions`);
      phases(g.phases, `${gp}.phases`);
    });
  });
  return out;
}

/**
 * Simulated memory a spec maps at `scale` (every region faulted in whole): in all, and what of it
 * is bound (MPOL_BIND) to some nodes, by node list. A region is bound by its own bind policy, else
 * by its thread group's or process's bind mempolicy when no phase of that thread changes it.
 */
export function specMemory(spec: WorkloadSpec, scale: number): { total: number; bound: Map<string, { nodes: number[]; bytes: number }> } {
  const bound = new Map<string, { nodes: number[]; bytes: number }>();
  let total = 0;
  const bindNodes = (p: Policy | undefined) => (p?.mode === "bind" ? p.nodes : undefined);
  const setsPolicy = (phases: readonly Phase[]) => phases.some((ph) => "mempolicy" in ph);
  const add = (r: Region, copies: number, taskBind: number[] | undefined) => {
    const bytes = copies * mappingBytes(scaledBytes(r.size, scale));
    total += bytes;
    const nodes = r.policy ? bindNodes(r.policy) : taskBind;
    if (!nodes) return;
    const key = [...nodes].sort((a, b) => a - b).join(",");
    const e = bound.get(key) ?? { nodes: key.split(",").map(Number), bytes: 0 };
    e.bytes += bytes;
    bound.set(key, e);
  };
  for (const p of spec.processes) {
    const procBind = setsPolicy(p.main) || p.threads.some((g) => g.mempolicy || setsPolicy(g.phases)) ? undefined : bindNodes(p.mempolicy);
    for (const r of p.regions) add(r, p.count, procBind);
    for (const g of p.threads) {
      const own = setsPolicy(g.phases) ? undefined : g.mempolicy ? bindNodes(g.mempolicy) : bindNodes(p.mempolicy);
      for (const r of g.regions) add(r, p.count * g.count, own);
    }
  }
  return { total, bound };
}
