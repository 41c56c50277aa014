import type { LockKind, LockStats, SimLock } from "./lock.js";

/**
 * Busy time of one lock on the simulated timeline, as sorted, disjoint, half-open intervals
 * [start, end). Touching intervals are merged, so both starts and ends are ascending and a lookup
 * is a binary search.
 */
class BusyTimeline {
  private starts: number[] = [];
  private ends: number[] = [];

  get length(): number {
    return this.starts.length;
  }

  /** Index of the first interval whose end is > t. */
  private firstEndingAfter(t: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid] > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Earliest t >= now such that [t, t + len) overlaps no interval (a zero-length request must not fall inside one). */
  earliestGap(now: number, len: number): number {
    const last = this.ends.length - 1;
    // Common case: the request comes after every recorded hold.
    if (last < 0 || this.ends[last] <= now) return now;
    let t = now;
    let i = this.firstEndingAfter(t);
    const n = this.starts.length;
    // Intervals are disjoint and sorted: each one that still overlaps pushes t to its end.
    while (i < n && (this.starts[i] < t + len || (len === 0 && this.starts[i] <= t))) {
      t = this.ends[i];
      i++;
    }
    return t;
  }

  /** Add [s, e), merging with every interval it overlaps or touches. */
  insert(s: number, e: number): void {
    if (e <= s) return;
    const last = this.ends.length - 1;
    // Common case: a hold after every recorded one (append, or extend a touching last interval).
    if (last < 0 || this.ends[last] < s) {
      this.starts.push(s);
      this.ends.push(e);
      return;
    }
    if (this.ends[last] === s && this.starts[last] <= s) {
      this.ends[last] = e;
      return;
    }
    // First interval with end >= s (could merge), first with start > e (cannot).
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid] >= s) hi = mid;
      else lo = mid + 1;
    }
    let j = lo;
    while (j < this.starts.length && this.starts[j] <= e) j++;
    if (j > lo) {
      s = Math.min(s, this.starts[lo]);
      e = Math.max(e, this.ends[j - 1]);
    }
    // Fast paths (splice is linear even at the end): append, or replace one merged interval.
    if (lo === this.starts.length) {
      this.starts.push(s);
      this.ends.push(e);
    } else if (j - lo === 1) {
      this.starts[lo] = s;
      this.ends[lo] = e;
    } else {
      this.starts.splice(lo, j - lo, s);
      this.ends.splice(lo, j - lo, e);
    }
  }

  /** Drop intervals that ended at or before t. */
  expire(t: number): void {
    const i = this.firstEndingAfter(t);
    if (i > 0) {
      this.starts.splice(0, i);
      this.ends.splice(0, i);
    }
  }
}

/**
 * The lock contention model behind SimLock. A CPU may run up to a quantum ahead of another, so a
 * request at `now` must see holds recorded by CPUs simulated earlier at any simulated time, before
 * or after `now`. Each lock keeps two busy timelines: the union of all holds (what a writer must
 * avoid) and the union of exclusive holds (what a reader must avoid). A new hold goes to the
 * earliest start >= now that fits in the matching timeline's gaps.
 */
class SimLockImpl implements SimLock {
  readonly stats: LockStats = { acquisitions: 0, contended: 0, waitNs: 0 };
  private readonly all = new BusyTimeline();
  private readonly exclusive = new BusyTimeline();

  constructor(
    readonly name: string,
    public kind: LockKind,
  ) {}

  acquire(now: number, holdNs: number, shared: boolean): number {
    const hold = holdNs > 0 ? holdNs : 0;
    // Only an rwsem has a read side; spinlocks and mutexes are always exclusive.
    const reader = shared && this.kind === "rwsem";
    const start = (reader ? this.exclusive : this.all).earliestGap(now, hold);
    this.all.insert(start, start + hold);
    if (!reader) this.exclusive.insert(start, start + hold);
    const wait = start - now;
    this.stats.acquisitions++;
    if (wait > 0) {
      this.stats.contended++;
      this.stats.waitNs += wait;
    }
    return wait;
  }

  expire(t: number): void {
    this.all.expire(t);
    this.exclusive.expire(t);
  }

  /** Recorded busy intervals (for tests and debugging). */
  get recordedIntervals(): number {
    return this.all.length;
  }
}

/** A lock for the contention model (kernel/locking: spinlock, mutex, rw_semaphore). */
export function createSimLock(name: string, kind: LockKind): SimLock {
  return new SimLockImpl(name, kind);
}
