import type { Nodemask } from "./mempolicy.js";
import type { UserArg } from "./uaccess.js";
import type { Task } from "./task.js";

/** What a user program asks of one run slice. */
export const RUN_BUDGET_USED = 0;
/** The program blocked (sleep, join, barrier): the kernel deschedules it until woken. */
export const RUN_BLOCKED = 1;
/** The program called exit. */
export const RUN_EXITED = 2;
export type RunResult = typeof RUN_BUDGET_USED | typeof RUN_BLOCKED | typeof RUN_EXITED;

/**
 * A futex word's wait queue (kernel/futex.c hashes waiters by address; the model gives each futex
 * its own queue). Programs block on it with UserApi.futexWait and release waiters with futexWake.
 */
export class Futex {
  readonly waiters: Task[] = [];
}

/** Touch kinds for UserApi.touch. */
export const TOUCH_STREAM = 0; // bandwidth-bound: costs bytes x ns-per-byte
export const TOUCH_LATENCY = 1; // latency-bound: costs one cache-miss latency per touch

/**
 * The user-space code of a task. The kernel calls run() whenever the task is on a CPU; it does work
 * through `u` until u.budgetLeft() reaches 0 (or it blocks or exits), keeping its own cursor so the
 * next call resumes where this one stopped.
 */
export interface UserProgram {
  run(u: UserApi): RunResult;
}

/**
 * get_mempolicy(2)'s two output buffers: `mode` receives the policy (or node), `nodemask` the
 * nodes. With `at`, their user addresses are checked writable as put_user/copy_to_user would.
 */
export interface GetMempolicyOut {
  mode: number;
  nodemask: Nodemask;
  at?: { mode?: number; nodemask?: number };
}

/**
 * The system calls and memory accesses a user program can make. Syscalls return >= 0 or -errno;
 * their arguments are converted as the x86-64 ABI does (include-linux abi.ts), so any value gives
 * an answer. Buffers (node masks, move_pages arrays) are values, or `userBuf(addr, value)` to have
 * the kernel check that the caller can read (write) them at that address (-EFAULT otherwise).
 */
export interface UserApi {
  readonly task: Task;
  /** Simulated now, ns. */
  now(): number;
  /** CPU time left in this slice, ns. Work that would exceed it stops early. */
  budgetLeft(): number;
  /** Spend CPU time in user space without touching memory (computation), ns. */
  compute(ns: number): void;
  /**
   * Touch `count` pages starting at `addr`, stepping `strideBytes`, each touch moving `bytes` bytes
   * (TOUCH_STREAM) or costing one miss (TOUCH_LATENCY). Faults are taken as needed. Returns how many
   * touches were done before the budget ran out (or a fault killed the task: then -EFAULT).
   */
  touch(addr: number, count: number, strideBytes: number, bytes: number, write: boolean, kind: number): number;
  /** Touch the pages at the given addresses, one each, as `touch` does. */
  touchList(addrs: Float64Array, from: number, to: number, bytes: number, write: boolean, kind: number): number;

  getcpu(): { cpu: number; node: number };
  /** mmap(2); `fd` and byte `offset` name a tmpfs file for a mapping without MAP_ANONYMOUS. */
  mmap(addr: number, length: number, prot: number, flags: number, fd?: number, offset?: number): number;
  /** open(2) of a tmpfs file (/dev/shm/NAME or /tmp/NAME); O_CREAT, O_EXCL, O_TRUNC. Returns a descriptor. */
  open(path: string, flags: number): number;
  close(fd: number): number;
  /** unlink(2): the name goes; the file lives while it is open or mapped. */
  unlink(path: string): number;
  ftruncate(fd: number, length: number): number;
  munmap(addr: number, length: number): number;
  mprotect(addr: number, length: number, prot: number): number;
  madvise(addr: number, length: number, advice: number): number;
  setMempolicy(mode: number, nodemask: UserArg<Nodemask> | null, maxnode: number): number;
  /** get_mempolicy(2); maxnode 0 stands for a NULL nmask. */
  getMempolicy(out: GetMempolicyOut, maxnode: number, addr: number, flags: number): number;
  mbind(addr: number, length: number, mode: number, nodemask: UserArg<Nodemask> | null, maxnode: number, flags: number): number;
  /** move_pages(2): nodes null = query; status receives a node or -errno per page. pid 0 = self. */
  movePages(pid: number, pages: UserArg<readonly number[]>, nodes: UserArg<readonly number[]> | null, status: UserArg<number[]>, flags: number): number;
  migratePages(pid: number, maxnode: number, oldNodes: UserArg<Nodemask> | null, newNodes: UserArg<Nodemask> | null): number;
  schedSetaffinity(pid: number, mask: bigint): number;
  schedGetaffinity(pid: number): bigint;
  getuid(): number;
  geteuid(): number;
  /** setuid(2): every id with CAP_SETUID, else the effective one to the real or saved uid. */
  setuid(uid: number): number;
  /** setresuid(2); -1 leaves an id as it is (glibc's seteuid(e) is setresuid(-1, e, -1)). */
  setresuid(ruid: number, euid: number, suid: number): number;
  /** capset(2) on this task: new effective and permitted capability sets (bit n = capability n). */
  capset(effective: bigint, permitted: bigint): number;
  /** Create a thread sharing this mm running `program`; returns its tid. */
  cloneThread(program: UserProgram, comm?: string): number;
  /** fork(2): a new process with a copy of this mm, running `program` (default: sleeping); returns its pid. */
  fork(program?: UserProgram, comm?: string): number;
  /** futex(FUTEX_WAIT): block until another task wakes this one through `f` (the caller re-checks its condition). */
  futexWait(f: Futex): RunResult;
  /** futex(FUTEX_WAKE): wake up to `n` waiters of `f`, oldest first, now; returns how many woke. */
  futexWake(f: Futex, n: number): number;
  /** Sleep for ns of simulated time (blocks). */
  sleep(ns: number): RunResult;
  /** Wait until all tasks in `pids` have exited (blocks while any is alive). */
  waitFor(pids: readonly number[]): RunResult;
  exit(code: number): RunResult;
}
