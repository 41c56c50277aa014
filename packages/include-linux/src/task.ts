import type { MmStruct } from "./mm.js";
import type { Mempolicy, Nodemask } from "./mempolicy.js";
import type { UserProgram } from "./user.js";
import { rootCred, type Cred } from "./cred.js";

export const TASK_RUNNING = 0;
export const TASK_INTERRUPTIBLE = 1;
export const TASK_DEAD = 64;

/** task->flags bits. */
export const PF_EXITING = 0x4;
export const PF_KTHREAD = 0x200000;

/** struct sched_entity: CFS bookkeeping. */
export interface SchedEntity {
  /** Load weight (nice 0 = 1024). */
  loadWeight: number;
  vruntime: number;
  /** Total CPU time consumed, ns (se.sum_exec_runtime). */
  sumExecRuntime: number;
  prevSumExecRuntime: number;
  /** Simulated time the current stretch on a CPU began. */
  execStart: number;
  /** Number of times the task moved between CPUs. */
  nrMigrations: number;
}

/** struct task_struct (the parts the model needs). */
export interface Task {
  readonly pid: number;
  /** Thread-group id (the process id). */
  readonly tgid: number;
  comm: string;
  mm: MmStruct | null;
  /** TASK_RUNNING, TASK_INTERRUPTIBLE, TASK_DEAD. */
  state: number;
  /** PF_* flags. */
  flags: number;
  /** The CPU the task last ran or is queued on. */
  cpu: number;
  /** Whether the task is on a run queue (running or runnable). */
  onRq: boolean;
  /** cpus_allowed as a bit set over CPU ids. */
  cpusAllowed: bigint;
  readonly se: SchedEntity;
  /** User and system CPU time, ns, as time(1) reports them. */
  utimeNs: number;
  stimeNs: number;
  /** Simulated time the task was created and exited (-1 while alive). */
  startNs: number;
  exitNs: number;
  exitCode: number;
  /** task->mempolicy (NULL = default). */
  mempolicy: Mempolicy | null;
  /** Interleave cursor (task->il_next). */
  ilNext: number;
  /** cpuset mems_allowed. */
  memsAllowed: Nodemask;
  /** task->cred: user ids and capabilities (root unless changed). */
  cred: Cred;
  /** The user-space code the task runs. */
  program: UserProgram;
  parent: Task | null;
  /** Wake-up time when sleeping on a timer (-1 = not on a timer). */
  wakeAt: number;
  /** Voluntary and involuntary context switches. */
  nvcsw: number;
  nivcsw: number;
  /** Page touches by the node of the memory touched vs the node of the CPU: local and remote. */
  localTouches: number;
  remoteTouches: number;
  /** Bytes moved by those touches. */
  localBytes: number;
  remoteBytes: number;
  // Automatic NUMA balancing state (include/linux/sched.h), unused until the series adds it.
  numaScanSeq: number;
  numaMigrateSeq: number;
  numaScanPeriod: number;
  nodeStamp: number;
  /** task_work numa_work queued (work->next != work). */
  numaWorkQueued: boolean;
}

/** What identifies a new task; every other field starts at its fork-time default. */
export type TaskInit = Pick<Task, "pid" | "comm" | "program"> & Partial<Omit<Task, "se">> & { loadWeight?: number };

/** A task_struct as copy_process leaves it: identity from `init`, everything else at its default. */
export function makeTask(init: TaskInit): Task {
  const { loadWeight = 1024, ...fields } = init;
  return {
    tgid: init.pid,
    mm: null,
    state: TASK_RUNNING,
    flags: 0,
    cpu: 0,
    onRq: false,
    cpusAllowed: 0n,
    se: { loadWeight, vruntime: 0, sumExecRuntime: 0, prevSumExecRuntime: 0, execStart: 0, nrMigrations: 0 },
    utimeNs: 0,
    stimeNs: 0,
    startNs: 0,
    exitNs: -1,
    exitCode: 0,
    mempolicy: null,
    ilNext: 0,
    memsAllowed: 0n,
    cred: rootCred(),
    parent: null,
    wakeAt: -1,
    nvcsw: 0,
    nivcsw: 0,
    localTouches: 0,
    remoteTouches: 0,
    localBytes: 0,
    remoteBytes: 0,
    numaScanSeq: 0,
    numaMigrateSeq: 0,
    numaScanPeriod: 0,
    nodeStamp: 0,
    numaWorkQueued: false,
    ...fields,
  };
}

/** kernel/pid.c: find_task_by_vpid, or the caller for pid 0. Exited tasks are gone (the model keeps no zombies to find). */
export function findTaskByVpid(tasks: ReadonlyMap<number, Task>, current: Task, pid: number): Task | null {
  if (pid === 0) return current;
  const t = tasks.get(pid);
  return t !== undefined && t.exitNs < 0 ? t : null;
}
