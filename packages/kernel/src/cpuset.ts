/**
 * kernel/cpuset.c, the part the model needs: a task's mems_allowed, as writing a cpuset's
 * cpuset.mems and attaching the task to it sets it (cpuset_change_task_nodemask), with its
 * memory policies rebound to the new nodes (mpol_rebind_task, mpol_rebind_mm). User-page
 * allocations then stay within those nodes (__GFP_HARDWALL, see @balancenuma/mm-page-alloc).
 */
import { EINVAL, ENOSPC, type Nodemask, type Task } from "@balancenuma/include-linux";
import type { KernelInstance } from "./boot.js";

/** Set `task`'s mems_allowed: -ENOSPC for no node (a task cannot join an empty cpuset), -EINVAL for a node without memory. */
export function cpusetSetMems(k: KernelInstance, task: Task, mems: Nodemask): number {
  const all = (1n << BigInt(k.topology.nodes.length)) - 1n;
  if (typeof mems !== "bigint" || mems < 0n) return -EINVAL;
  if ((mems & ~all) !== 0n) return -EINVAL;
  if (mems === 0n) return -ENOSPC;
  task.memsAllowed = mems;
  k.mempolicy.mpolRebindTask(task, mems);
  if (task.mm !== null) k.mempolicy.mpolRebindMm(task.mm, mems);
  return 0;
}
