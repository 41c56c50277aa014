/** kernel/fork.c: new tasks, processes and threads (copy_process and its callers), and kernel threads. */
import { makeTask, nodeMask, type MmStruct, type Task, type UserProgram } from "@balancenuma/include-linux";
import type { KernelInstance } from "./boot.js";
import { SLEEPER } from "./user-api.js";

/**
 * copy_process: a task with the next pid, the parent's CPU, affinity, memory policy and
 * mems_allowed (or the whole machine's), through the scheduler's fork hook once its mm is set.
 */
function copyProcess(k: KernelInstance, comm: string, tgid: number | null, program: UserProgram, parent: Task | null, mm: (t: Task) => MmStruct | null): Task {
  const pid = k.allocPid();
  const all = (1n << BigInt(k.topology.nrCpus)) - 1n;
  const t = makeTask({
    pid,
    tgid: tgid ?? pid,
    comm: comm.slice(0, 15),
    mm: null,
    cpu: parent?.cpu ?? 0,
    cpusAllowed: parent?.cpusAllowed ?? all,
    startNs: k.now(),
    mempolicy: parent?.mempolicy ? k.mempolicy.dupPolicy(parent.mempolicy) : null,
    memsAllowed: parent?.memsAllowed ?? nodeMask(...k.topology.nodes.map((n) => n.id)),
    program,
    parent,
  });
  k.tasks.set(pid, t);
  t.mm = mm(t);
  k.sched.schedFork(k, t);
  return t;
}

/** The first CPU a task may run on. */
function firstAllowedCpu(k: KernelInstance, t: Task): number {
  for (let c = 0; c < k.topology.nrCpus; c++) if ((t.cpusAllowed >> BigInt(c)) & 1n) return c;
  return 0;
}

/** Start a task as a shell on its first allowed CPU would: set its affinity, then wake_up_new_task. */
function start(k: KernelInstance, t: Task, cpusAllowed: bigint | undefined): Task {
  if (cpusAllowed !== undefined && k.sched.setCpusAllowed(k, t, cpusAllowed) < 0)
    throw new Error(`cpus_allowed 0x${cpusAllowed.toString(16)} has no online CPU`);
  k.sched.wakeUpNewTask(k, t, firstAllowedCpu(k, t));
  return t;
}

/** A new process with its own address space (fork + exec from a shell). */
export function createProcess(k: KernelInstance, opts: { comm?: string; program?: UserProgram; cpusAllowed?: bigint } = {}): Task {
  const t = copyProcess(k, opts.comm ?? "proc", null, opts.program ?? SLEEPER, null, (task) => k.memory.newMm(k, task.tgid));
  return start(k, t, opts.cpusAllowed);
}

/** kthread_create + wake_up_process: a kernel thread, which has no address space of its own. */
export function createKernelThread(k: KernelInstance, opts: { comm?: string; program: UserProgram; cpusAllowed?: bigint }): Task {
  return start(k, copyProcess(k, opts.comm ?? "kthread", null, opts.program, null, () => null), opts.cpusAllowed);
}

/** clone(CLONE_VM|CLONE_THREAD): a thread of parent's process, queued from the current CPU. */
export function cloneThread(k: KernelInstance, parent: Task, program: UserProgram, comm?: string): Task {
  const t = copyProcess(k, comm ?? parent.comm, parent.tgid, program, parent, () => {
    if (parent.mm) parent.mm.mmUsers++;
    return parent.mm;
  });
  k.sched.wakeUpNewTask(k, t, k.currentCpu);
  return t;
}

/** fork(): a new process with a copy-on-write copy of parent's address space. */
export function forkProcess(k: KernelInstance, parent: Task, program: UserProgram, comm?: string): Task {
  const t = copyProcess(k, comm ?? parent.comm, null, program, parent, (task) =>
    parent.mm ? k.memory.dupMm(k, parent.mm, task.tgid) : k.memory.newMm(k, task.tgid),
  );
  k.sched.wakeUpNewTask(k, t, k.currentCpu);
  return t;
}
