/**
 * Lock contention model. A lock records when it is held on the simulated timeline; a CPU asking for
 * it at time `now` waits until it is free. The event loop lets a CPU run up to a quantum ahead of
 * another, so holds are kept as time intervals (not just "free at") and a request only waits behind
 * holds that overlap it in simulated time, whichever CPU was simulated first.
 */
export type LockKind = "spinlock" | "mutex" | "rwsem";

export interface LockStats {
  acquisitions: number;
  contended: number;
  /** Total simulated ns spent waiting. */
  waitNs: number;
}

export interface SimLock {
  readonly name: string;
  kind: LockKind;
  readonly stats: LockStats;
  /**
   * Take the lock at simulated time `now` for `holdNs`, exclusively (write) or shared (read, rwsem
   * only: readers overlap each other). Returns the ns the caller waited before getting it.
   */
  acquire(now: number, holdNs: number, shared: boolean): number;
  /** Forget holds that ended before `t` (called each tick). */
  expire(t: number): void;
}
