import type { Task } from "@balancenuma/include-linux";

/**
 * kernel/hrtimer.c, for what the model needs: the timers of sleeping tasks (nanosleep), in expiry
 * order. Equal expiry times are ordered by a tie key drawn from the kernel's noise generator, so
 * which of two simultaneous timers fires first is a seeded coin toss, not the order they were armed.
 * A timer whose task was woken another way (futex, exit) is stale and skipped when it comes up.
 */
export class SleepTimers {
  private readonly at: number[] = [];
  private readonly tie: number[] = [];
  private readonly tasks: Task[] = [];

  get size(): number {
    return this.tasks.length;
  }

  /** hrtimer_start for `task` at `at` ns; `tie` orders timers of equal expiry. */
  add(task: Task, at: number, tie: number): void {
    this.at.push(at);
    this.tie.push(tie);
    this.tasks.push(task);
    let i = this.tasks.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Expiry of the earliest timer still armed (Infinity if none). */
  peek(): number {
    this.dropStale();
    return this.tasks.length ? this.at[0] : Infinity;
  }

  /** Take the earliest armed timer's task (call after peek() returned a finite time). */
  pop(): Task {
    const task = this.tasks[0];
    const last = this.tasks.length - 1;
    this.swap(0, last);
    this.at.pop();
    this.tie.pop();
    this.tasks.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.tasks.length && this.before(l, m)) m = l;
      if (r < this.tasks.length && this.before(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return task;
  }

  /** A timer is armed while its task still waits for exactly that expiry. */
  private dropStale(): void {
    while (this.tasks.length && this.tasks[0].wakeAt !== this.at[0]) this.pop();
  }

  private before(a: number, b: number): boolean {
    return this.at[a] < this.at[b] || (this.at[a] === this.at[b] && this.tie[a] < this.tie[b]);
  }

  private swap(a: number, b: number): void {
    [this.at[a], this.at[b]] = [this.at[b], this.at[a]];
    [this.tie[a], this.tie[b]] = [this.tie[b], this.tie[a]];
    [this.tasks[a], this.tasks[b]] = [this.tasks[b], this.tasks[a]];
  }
}
