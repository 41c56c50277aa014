import {
  ESRCH,
  RUN_BLOCKED,
  RUN_EXITED,
  SYS_SYSCALLS,
  inSysPath,
  type Futex,
  type Nodemask,
  type RunResult,
  type Task,
  type UserApi,
  type UserProgram,
} from "@balancenuma/include-linux";
import type { KernelInstance } from "./boot.js";

/** include/linux/init_task.h: a task's default timer_slack_ns (prctl PR_SET_TIMERSLACK changes it). */
export const TIMER_SLACK_NS = 50_000;

/** The system-call and memory-access surface a task's program sees while it runs on a CPU. */
export class TaskApi implements UserApi {
  /** Absolute simulated time this slice must stop at. */
  sliceEnd = 0;

  constructor(
    private readonly k: KernelInstance,
    readonly task: Task,
  ) {}

  private get cpuClock(): number {
    return this.k.cpus[this.k.currentCpu].clock;
  }

  now(): number {
    return this.cpuClock;
  }

  budgetLeft(): number {
    return Math.max(0, this.sliceEnd - this.cpuClock);
  }

  compute(ns: number): void {
    const spend = Math.min(ns, this.budgetLeft());
    this.k.cpus[this.k.currentCpu].clock += spend;
    this.task.utimeNs += spend;
  }

  touch(addr: number, count: number, strideBytes: number, bytes: number, write: boolean, kind: number): number {
    return this.k.memory.userTouch(this.k, this.task, addr, count, strideBytes, bytes, write, kind, this.budgetLeft());
  }

  touchList(addrs: Float64Array, from: number, to: number, bytes: number, write: boolean, kind: number): number {
    return this.k.memory.userTouchList(this.k, this.task, addrs, from, to, bytes, write, kind, this.budgetLeft());
  }

  getcpu(): { cpu: number; node: number } {
    const cpu = this.k.currentCpu;
    return { cpu, node: this.k.topology.cpuToNode[cpu] };
  }

  /** A system call: its entry and exit, then `body`, all in the profile's system-call path. */
  private syscall<T>(body: () => T): T {
    return inSysPath(this.k, SYS_SYSCALLS, () => {
      this.k.charge(this.k.cost.syscallNs);
      return body();
    });
  }

  private mm() {
    const mm = this.task.mm;
    if (!mm) throw new Error(`task ${this.task.pid} has no mm`);
    return mm;
  }

  mmap(addr: number, length: number, prot: number, flags: number): number {
    return this.syscall(() => this.k.memory.mmap(this.k, this.mm(), addr, length, prot, flags));
  }

  munmap(addr: number, length: number): number {
    return this.syscall(() => this.k.memory.munmap(this.k, this.mm(), addr, length));
  }

  mprotect(addr: number, length: number, prot: number): number {
    return this.syscall(() => this.k.mprotect.sysMprotect(this.k, this.mm(), addr, length, prot));
  }

  madvise(addr: number, length: number, advice: number): number {
    return this.syscall(() => this.k.memory.madvise(this.k, this.mm(), addr, length, advice));
  }

  setMempolicy(mode: number, nodemask: Nodemask | null, maxnode: number): number {
    return this.syscall(() => this.k.mempolicy.sysSetMempolicy(this.k, this.task, mode, nodemask, maxnode));
  }

  getMempolicy(out: { mode: number; nodemask: Nodemask }, maxnode: number, addr: number, flags: number): number {
    return this.syscall(() => this.k.mempolicy.sysGetMempolicy(this.k, this.task, out, maxnode, addr, flags));
  }

  mbind(addr: number, length: number, mode: number, nodemask: Nodemask | null, maxnode: number, flags: number): number {
    return this.syscall(() => this.k.mempolicy.sysMbind(this.k, this.task, addr, length, mode, nodemask, maxnode, flags));
  }

  movePages(pid: number, pages: readonly number[], nodes: readonly number[] | null, status: number[], flags: number): number {
    return this.syscall(() => this.k.migrate.sysMovePages(this.k, this.task, pid, pages, nodes, status, flags));
  }

  migratePages(pid: number, maxnode: number, oldNodes: Nodemask | null, newNodes: Nodemask | null): number {
    return this.syscall(() => this.k.mempolicy.sysMigratePages(this.k, this.task, pid, maxnode, oldNodes, newNodes));
  }

  schedSetaffinity(pid: number, mask: bigint): number {
    return this.syscall(() => {
      const p = pid === 0 ? this.task : this.k.tasks.get(pid);
      if (!p || p.exitNs >= 0) return -ESRCH;
      return this.k.sched.setCpusAllowed(this.k, p, mask);
    });
  }

  schedGetaffinity(pid: number): bigint {
    const p = pid === 0 ? this.task : this.k.tasks.get(pid);
    return p ? p.cpusAllowed : 0n;
  }

  cloneThread(program: UserProgram, comm?: string): number {
    return this.syscall(() => this.k.cloneThread(this.task, program, comm).pid);
  }

  fork(program: UserProgram, comm?: string): number {
    return this.syscall(() => this.k.forkProcess(this.task, program, comm).pid);
  }

  futexWait(f: Futex): RunResult {
    return this.syscall(() => {
      f.waiters.push(this.task);
      return RUN_BLOCKED;
    });
  }

  futexWake(f: Futex, n: number): number {
    return this.syscall(() => this.k.futexWake(f, n));
  }

  /** nanosleep: the timer fires somewhere in [ns, ns + timer slack) from now (hrtimer range timers). */
  sleep(ns: number): RunResult {
    if (!(ns >= 0)) return RUN_BLOCKED;
    this.task.wakeAt = this.cpuClock + ns + this.k.noise.float() * TIMER_SLACK_NS;
    return RUN_BLOCKED;
  }

  waitFor(pids: readonly number[]): RunResult {
    return this.k.waitFor(this.task, pids);
  }

  exit(code: number): RunResult {
    this.task.exitCode = code;
    return RUN_EXITED;
  }
}

/** A program that sleeps forever: the default for processes driven from outside (tests). */
export const SLEEPER: UserProgram = { run: () => RUN_BLOCKED };

