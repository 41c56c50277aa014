import type { Task } from "./task.js";

/** include/linux/capability.h (kernel/capability.c): capable(): the simulated user is root unless the task carries capEffective. */
export function capable(task: Task, cap: number): boolean {
  return task.capEffective === undefined || ((task.capEffective >> BigInt(cap)) & 1n) === 1n;
}
