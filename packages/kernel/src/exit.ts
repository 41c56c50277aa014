/** kernel/exit.c: do_exit, and waiting for tasks to exit (waitpid / pthread_join). */
import { PF_EXITING, RUN_BLOCKED, TASK_DEAD, type RunResult, type Task } from "@balancenuma/include-linux";
import type { KernelInstance } from "./boot.js";

/** Block `waiter` until every task in `pids` has exited; 0 at once if none is alive. */
export function waitFor(k: KernelInstance, waiter: Task, pids: readonly number[]): RunResult {
  const alive = pids.filter((p) => {
    const t = k.tasks.get(p);
    return t !== undefined && t.exitNs < 0;
  });
  if (alive.length === 0) return 0;
  k.waiters.set(waiter, alive);
  return RUN_BLOCKED;
}

/** do_exit: the task is gone; its mm goes with its last user; tasks waiting for it wake now. */
export function doExit(k: KernelInstance, t: Task): void {
  t.flags |= PF_EXITING;
  t.state = TASK_DEAD;
  t.exitNs = k.now();
  const mm = t.mm;
  if (mm && --mm.mmUsers === 0) k.memory.exitMmap(k, mm);
  k.forgetApi(t);
  for (const [w, pids] of k.waiters) {
    if (!pids.includes(t.pid)) continue;
    const rest = pids.filter((p) => (k.tasks.get(p)?.exitNs ?? 0) < 0);
    if (rest.length === 0) {
      k.waiters.delete(w);
      k.wake(w);
    } else k.waiters.set(w, rest);
  }
}
