import {
  EBADF,
  EFAULT,
  EINVAL,
  ENOMEM,
  ESRCH,
  RUN_BLOCKED,
  RUN_EXITED,
  SYS_SYSCALLS,
  inSysPath,
  intArg,
  longArg,
  uintArg,
  ulongArg,
  type Futex,
  type GetMempolicyOut,
  type Nodemask,
  type RunResult,
  type Task,
  type UserApi,
  type UserArg,
  type UserProgram,
} from "@balancenuma/include-linux";
import type { KernelInstance } from "./boot.js";
import { sysCapset, sysSetresuid, sysSetuid } from "./sys.js";

/** include/linux/init_task.h: a task's default timer_slack_ns (prctl PR_SET_TIMERSLACK changes it). */
export const TIMER_SLACK_NS = 50_000;

/** A program that sleeps forever: the default for processes driven from outside (tests). */
export const SLEEPER: UserProgram = { run: () => RUN_BLOCKED };

/** A value a user program can run: an object with a run method. */
const isProgram = (p: unknown): p is UserProgram => typeof p === "object" && p !== null && typeof (p as UserProgram).run === "function";

/** A capability set from a syscall argument (a 64-bit value), or null. */
function capSet(x: unknown): bigint | null {
  const v = ulongArg(x);
  return v === null ? null : typeof x === "bigint" ? BigInt.asUintN(64, x) : BigInt(v);
}

/**
 * The system-call and memory-access surface of one task. Every system call converts its arguments
 * as the x86-64 ABI does (see include-linux abi.ts): a value no register can hold is -EINVAL, and
 * a bad user buffer is -EFAULT, so no argument makes a syscall throw.
 *
 * A handle from `KernelInstance.userApi` (`outside`) is driven by a test or script rather than by
 * the event loop: each call first makes its task current on the task's CPU, so a handle keeps
 * acting as its own task whatever other handles did in between.
 */
export class TaskApi implements UserApi {
  /** Absolute simulated time this slice must stop at. */
  sliceEnd = 0;

  constructor(
    private readonly k: KernelInstance,
    readonly task: Task,
    private readonly outside = false,
  ) {}

  /** An outside handle's call runs as its task, on the task's CPU. */
  private enter(): void {
    if (!this.outside) return;
    this.k.current = this.task;
    this.k.currentCpu = this.task.cpu;
  }

  private get cpuClock(): number {
    return this.k.cpus[this.k.currentCpu].clock;
  }

  now(): number {
    this.enter();
    return this.cpuClock;
  }

  budgetLeft(): number {
    this.enter();
    return Math.max(0, this.sliceEnd - this.cpuClock);
  }

  compute(ns: number): void {
    this.enter();
    const spend = Math.min(ns, this.budgetLeft());
    if (!(spend > 0)) return;
    this.k.cpus[this.k.currentCpu].clock += spend;
    this.task.utimeNs += spend;
  }

  touch(addr: number, count: number, strideBytes: number, bytes: number, write: boolean, kind: number): number {
    this.enter();
    return this.k.memory.userTouch(this.k, this.task, addr, count, strideBytes, bytes, write, kind, this.budgetLeft());
  }

  touchList(addrs: Float64Array, from: number, to: number, bytes: number, write: boolean, kind: number): number {
    this.enter();
    return this.k.memory.userTouchList(this.k, this.task, addrs, from, to, bytes, write, kind, this.budgetLeft());
  }

  getcpu(): { cpu: number; node: number } {
    this.enter();
    const cpu = this.k.currentCpu;
    return { cpu, node: this.k.topology.cpuToNode[cpu] };
  }

  /**
   * A system call: the entry (the task's context, for outside handles) and its cost, then `body`,
   * all in the profile's system-call path.
   */
  private syscall<T>(body: () => T): T {
    this.enter();
    return inSysPath(this.k, SYS_SYSCALLS, () => {
      this.k.charge(this.k.cost.syscallNs);
      return body();
    });
  }

  mmap(addr: number, length: number, prot: number, flags: number, fd = -1, offset = 0): number {
    return this.syscall(() => {
      const [a, len, p, f, d, off] = [ulongArg(addr), ulongArg(length), ulongArg(prot), ulongArg(flags), ulongArg(fd), ulongArg(offset)];
      if (a === null || len === null || p === null || f === null || d === null || off === null) return -EINVAL;
      const mm = this.task.mm;
      return mm === null ? -EINVAL : this.k.memory.mmap(this.k, mm, a, len, p, f, d, off);
    });
  }

  open(path: string, flags: number): number {
    return this.syscall(() => {
      const f = intArg(flags);
      if (f === null) return -EINVAL;
      if (typeof path !== "string") return -EFAULT;
      const mm = this.task.mm;
      return mm === null ? -EINVAL : this.k.memory.open(this.k, mm, path, f);
    });
  }

  close(fd: number): number {
    return this.syscall(() => {
      const d = uintArg(fd);
      const mm = this.task.mm;
      return d === null || mm === null ? -EBADF : this.k.memory.close(this.k, mm, d);
    });
  }

  unlink(path: string): number {
    return this.syscall(() => (typeof path === "string" ? this.k.memory.unlink(this.k, path) : -EFAULT));
  }

  ftruncate(fd: number, length: number): number {
    return this.syscall(() => {
      const [d, len] = [uintArg(fd), longArg(length)];
      if (len === null || len < 0) return -EINVAL;
      const mm = this.task.mm;
      return d === null || mm === null ? -EBADF : this.k.memory.ftruncate(this.k, mm, d, len);
    });
  }

  munmap(addr: number, length: number): number {
    return this.syscall(() => {
      const [a, len] = [ulongArg(addr), ulongArg(length)];
      if (a === null || len === null) return -EINVAL;
      const mm = this.task.mm;
      return mm === null ? -EINVAL : this.k.memory.munmap(this.k, mm, a, len);
    });
  }

  mprotect(addr: number, length: number, prot: number): number {
    return this.syscall(() => {
      const [a, len, p] = [ulongArg(addr), ulongArg(length), ulongArg(prot)];
      if (a === null || len === null || p === null) return -EINVAL;
      const mm = this.task.mm;
      return mm === null ? -ENOMEM : this.k.mprotect.sysMprotect(this.k, mm, a, len, p);
    });
  }

  madvise(addr: number, length: number, advice: number): number {
    return this.syscall(() => {
      const [a, len, adv] = [ulongArg(addr), ulongArg(length), intArg(advice)];
      if (a === null || len === null || adv === null) return -EINVAL;
      const mm = this.task.mm;
      return mm === null ? -ENOMEM : this.k.memory.madvise(this.k, mm, a, len, adv);
    });
  }

  setMempolicy(mode: number, nodemask: UserArg<Nodemask> | null, maxnode: number): number {
    return this.syscall(() => {
      const [m, max] = [intArg(mode), ulongArg(maxnode)];
      if (m === null || max === null) return -EINVAL;
      return this.k.mempolicy.sysSetMempolicy(this.k, this.task, m, nodemask, max);
    });
  }

  getMempolicy(out: GetMempolicyOut, maxnode: number, addr: number, flags: number): number {
    return this.syscall(() => {
      const [max, a, f] = [ulongArg(maxnode), ulongArg(addr), ulongArg(flags)];
      if (max === null || a === null || f === null) return -EINVAL;
      if (typeof out !== "object" || out === null) return -EFAULT;
      return this.k.mempolicy.sysGetMempolicy(this.k, this.task, out, max, a, f);
    });
  }

  mbind(addr: number, length: number, mode: number, nodemask: UserArg<Nodemask> | null, maxnode: number, flags: number): number {
    return this.syscall(() => {
      const [a, len, m, max, f] = [ulongArg(addr), ulongArg(length), ulongArg(mode), ulongArg(maxnode), uintArg(flags)];
      if (a === null || len === null || m === null || max === null || f === null) return -EINVAL;
      return this.k.mempolicy.sysMbind(this.k, this.task, a, len, m, nodemask, max, f);
    });
  }

  movePages(pid: number, pages: UserArg<readonly number[]>, nodes: UserArg<readonly number[]> | null, status: UserArg<number[]>, flags: number): number {
    return this.syscall(() => {
      const [p, f] = [intArg(pid), intArg(flags)];
      if (p === null || f === null) return -EINVAL;
      return this.k.migrate.sysMovePages(this.k, this.task, p, pages, nodes, status, f);
    });
  }

  migratePages(pid: number, maxnode: number, oldNodes: UserArg<Nodemask> | null, newNodes: UserArg<Nodemask> | null): number {
    return this.syscall(() => {
      const [p, max] = [intArg(pid), ulongArg(maxnode)];
      if (p === null || max === null) return -EINVAL;
      return this.k.mempolicy.sysMigratePages(this.k, this.task, p, max, oldNodes, newNodes);
    });
  }

  schedSetaffinity(pid: number, mask: bigint): number {
    return this.syscall(() => {
      const p = intArg(pid);
      if (p === null) return -EINVAL;
      if (typeof mask !== "bigint") return -EFAULT;
      const t = p === 0 ? this.task : this.k.tasks.get(p);
      if (!t || t.exitNs >= 0) return -ESRCH;
      return this.k.sched.setCpusAllowed(this.k, t, BigInt.asUintN(this.k.topology.nrCpus, mask));
    });
  }

  schedGetaffinity(pid: number): bigint {
    this.enter();
    const t = pid === 0 ? this.task : this.k.tasks.get(pid);
    return t ? t.cpusAllowed : 0n;
  }

  getuid(): number {
    return this.task.cred.uid;
  }

  geteuid(): number {
    return this.task.cred.euid;
  }

  setuid(uid: number): number {
    return this.syscall(() => {
      const u = uintArg(uid);
      return u === null ? -EINVAL : sysSetuid(this.task, u);
    });
  }

  setresuid(ruid: number, euid: number, suid: number): number {
    return this.syscall(() => {
      const [r, e, s] = [uintArg(ruid), uintArg(euid), uintArg(suid)];
      if (r === null || e === null || s === null) return -EINVAL;
      return sysSetresuid(this.task, r, e, s);
    });
  }

  capset(effective: bigint, permitted: bigint): number {
    return this.syscall(() => {
      const [e, p] = [capSet(effective), capSet(permitted)];
      if (e === null || p === null) return -EFAULT;
      return sysCapset(this.task, e, p);
    });
  }

  cloneThread(program: UserProgram, comm?: string): number {
    return this.syscall(() => {
      if (!isProgram(program)) return -EINVAL;
      return this.k.cloneThread(this.task, program, typeof comm === "string" ? comm : undefined).pid;
    });
  }

  fork(program: UserProgram = SLEEPER, comm?: string): number {
    return this.syscall(() => {
      if (!isProgram(program)) return -EINVAL;
      return this.k.forkProcess(this.task, program, typeof comm === "string" ? comm : undefined).pid;
    });
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
    this.enter();
    if (!(ns >= 0)) return RUN_BLOCKED;
    this.task.wakeAt = this.cpuClock + ns + this.k.noise.float() * TIMER_SLACK_NS;
    return RUN_BLOCKED;
  }

  waitFor(pids: readonly number[]): RunResult {
    this.enter();
    return this.k.waitFor(this.task, pids);
  }

  /**
   * exit(2). A program returns the result to the event loop, which ends the task. From an outside
   * handle the task's program is replaced by one that exits, and the task is woken: it exits in
   * its own context the next time the kernel runs it (k.runTick / k.runFor).
   */
  exit(code: number): RunResult {
    this.task.exitCode = intArg(code) ?? 0;
    if (this.outside && this.task.exitNs < 0) {
      const exitCode = this.task.exitCode;
      this.task.program = { run: (u) => u.exit(exitCode) };
      this.k.wake(this.task);
    }
    return RUN_EXITED;
  }
}
