/** kernel/fork.c: new tasks, processes and threads (copy_process and its callers), and kernel threads. */
import { copyCred, makeTask, nodeMask, rootCred, type MmStruct, type Task, type UserProgram } from "@balancenuma/include-linux";
import type { KernelInstance } from "./boot.js";
import { SLEEPER } from "./user-api.js";

/**
 * copy_process: a task with the next pid, the parent's CPU, affinity, credentials (copy_creds),
 * memory policy and mems_allowed (or root's and the whole machine's), through the scheduler's fork
 * hook once its mm is set.
 */
function copyProcess(
  k: KernelInstance,
  comm: string,
  tgid: number | null,
  program: UserProgram,
  parent: Task | null,
  mm: (t: Task) => MmStruct | null,
  loadWeight?: number,
): Task {
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
    cred: parent ? copyCred(parent.cred) : rootCred(),
    program,
    parent,
    loadWeight,
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

/** How a task is started from outside (a shell, a test). */
export interface StartOptions {
  comm?: string;
  /** Its CPU affinity, set before it is first queued. */
  cpusAllowed?: bigint;
  /** The CPU the fork runs on (default: the first CPU the task may use). */
  parentCpu?: number;
  /** Its load weight (1024 = nice 0). */
  loadWeight?: number;
}

/** Start a task as a shell would: set its affinity, then wake_up_new_task from the parent's CPU. */
function start(k: KernelInstance, t: Task, opts: StartOptions): Task {
  if (opts.cpusAllowed !== undefined && k.sched.setCpusAllowed(k, t, opts.cpusAllowed) < 0)
    throw new Error(`cpus_allowed 0x${opts.cpusAllowed.toString(16)} has no online CPU`);
  const parentCpu = opts.parentCpu ?? firstAllowedCpu(k, t);
  k.currentCpu = parentCpu;
  k.sched.wakeUpNewTask(k, t, parentCpu);
  return t;
}

/** A new process with its own address space (fork + exec from a shell). */
export function createProcess(k: KernelInstance, opts: StartOptions & { program?: UserProgram } = {}): Task {
  const t = copyProcess(k, opts.comm ?? "proc", null, opts.program ?? SLEEPER, null, (task) => k.memory.newMm(k, task.tgid), opts.loadWeight);
  return start(k, t, opts);
}

/** kthread_create + wake_up_process: a kernel thread, which has no address space of its own. */
export function createKernelThread(k: KernelInstance, opts: StartOptions & { program: UserProgram }): Task {
  return start(
    k,
    copyProcess(k, opts.comm ?? "kthread", null, opts.program, null, () => null, opts.loadWeight),
    opts,
  );
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
