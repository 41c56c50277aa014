import type { RunConfig } from "@balancenuma/workloads";

type Machine = RunConfig["topology"];

/** MiB as a person writes a memory size: whole GiB where it is one. */
const size = (mib: number): string => (mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024} GiB` : `${Number(mib.toFixed(1))} MiB`);

const counted = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/**
 * The resolved machine in one line, e.g. "2 nodes x (4 CPUs, 2 GiB), 8 CPUs and 4 GiB in all, node
 * distance 20 (local 10)": what a preset or a short --topology filled in.
 */
export function describeMachine(m: Machine): string {
  const shape = (n: Machine["nodes"][number]) => `${counted(n.cpus.length, "CPU")}, ${size(n.memMiB)}`;
  const groups: { shape: string; count: number }[] = [];
  for (const n of m.nodes) {
    const s = shape(n);
    if (groups.at(-1)?.shape === s) groups.at(-1)!.count++;
    else groups.push({ shape: s, count: 1 });
  }
  const nodes =
    groups.length === 1
      ? `${counted(m.nodes.length, "node")}${m.nodes.length > 1 ? " x" : ":"} (${groups[0].shape})`
      : `${counted(m.nodes.length, "node")}: ${groups.map((g) => `${g.count} x (${g.shape})`).join(" + ")}`;
  const cpus = m.nodes.reduce((a, n) => a + n.cpus.length, 0);
  const mib = m.nodes.reduce((a, n) => a + n.memMiB, 0);
  const remote = [...new Set(m.distance.flatMap((row, i) => row.filter((_, j) => j !== i)))].sort((a, b) => a - b);
  const distance =
    remote.length === 0 ? "" : `, node distance ${remote.length === 1 ? remote[0] : `${remote[0]}-${remote.at(-1)}`} (local ${m.distance[0][0]})`;
  const smt = m.threadsPerCore > 1 ? `, ${m.threadsPerCore} threads per core` : "";
  return `${nodes}, ${counted(cpus, "CPU")} and ${size(mib)} in all${smt}${distance}`;
}
