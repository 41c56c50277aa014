/** fs/proc/array.c: /proc/PID/status, the lines the model has state for. */
import { MAX_NUMNODES, TASK_DEAD, TASK_INTERRUPTIBLE, nodelistFormat, type Kernel, type Task } from "@balancenuma/include-linux";

/** lib/bitmap.c bitmap_scnprintf: 32-bit hex words, most significant first, comma separated, over `nbits` bits. */
function bitmapHex(mask: bigint, nbits: number): string {
  const words: string[] = [];
  for (let w = Math.ceil(nbits / 32) - 1; w >= 0; w--) words.push(((mask >> BigInt(w * 32)) & 0xffff_ffffn).toString(16).padStart(8, "0"));
  return words.join(",");
}

/** A cpu or node list as bitmap_scnlistprintf prints it ("0-3,8"). */
const listOf = (mask: bigint): string => nodelistFormat(mask);

/**
 * /proc/PID/status as Linux 3.7 prints it, for the fields the model keeps: name and state, ids,
 * the credentials (real, effective, saved, fs uid), the capability sets, the cpuset's
 * Cpus_allowed (over nr_cpu_ids) and Mems_allowed (over MAX_NUMNODES) with their lists, and
 * the context switches.
 */
export function renderStatus(k: Kernel, t: Task): string {
  const c = t.cred;
  const state = t.state === TASK_DEAD ? "X (dead)" : t.state === TASK_INTERRUPTIBLE ? "S (sleeping)" : "R (running)";
  const threads = [...k.tasks.values()].filter((x) => x.tgid === t.tgid && x.exitNs < 0).length;
  const cap = (v: bigint): string => v.toString(16).padStart(16, "0");
  return [
    `Name:\t${t.comm}`,
    `State:\t${state}`,
    `Tgid:\t${t.tgid}`,
    `Pid:\t${t.pid}`,
    `PPid:\t${t.parent?.tgid ?? 0}`,
    `Uid:\t${c.uid}\t${c.euid}\t${c.suid}\t${c.euid}`,
    `Threads:\t${threads}`,
    `CapPrm:\t${cap(c.capPermitted)}`,
    `CapEff:\t${cap(c.capEffective)}`,
    `Cpus_allowed:\t${bitmapHex(t.cpusAllowed, k.topology.nrCpus)}`,
    `Cpus_allowed_list:\t${listOf(t.cpusAllowed)}`,
    `Mems_allowed:\t${bitmapHex(t.memsAllowed, MAX_NUMNODES)}`,
    `Mems_allowed_list:\t${listOf(t.memsAllowed)}`,
    `voluntary_ctxt_switches:\t${t.nvcsw}`,
    `nonvoluntary_ctxt_switches:\t${t.nivcsw}`,
  ]
    .map((l) => l + "\n")
    .join("");
}
