/**
 * include/linux/cred.h and capability.h: a task's credentials (the parts the model reads) and the
 * ownership test the migration syscalls make. Every task starts as root (uid 0, every
 * capability); fork copies the parent's credentials; kernel/sys.c's set*uid calls change them.
 */
import type { Task } from "./task.js";

/** CAP_LAST_CAP at 3.7 (CAP_BLOCK_SUSPEND); CAP_FULL_SET has every bit up to it. */
export const CAP_LAST_CAP = 36;
export const CAP_FULL_SET = (1n << BigInt(CAP_LAST_CAP + 1)) - 1n;
export const CAP_SETUID = 7;
export const CAP_SETPCAP = 8;
export const CAP_SYS_NICE = 23;

/** struct cred: user ids and capability sets. */
export interface Cred {
  uid: number;
  euid: number;
  suid: number;
  /** Effective and permitted capabilities: bit n = capability n. */
  capEffective: bigint;
  capPermitted: bigint;
}

/** init_cred: root with every capability. */
export const rootCred = (): Cred => ({ uid: 0, euid: 0, suid: 0, capEffective: CAP_FULL_SET, capPermitted: CAP_FULL_SET });

/** prepare_creds: a copy to modify (or to give a child at fork). */
export const copyCred = (c: Cred): Cred => ({ ...c });

/** kernel/capability.c: capable(): is `cap` in the task's effective set. */
export function capable(task: Task, cap: number): boolean {
  return ((task.cred.capEffective >> BigInt(cap)) & 1n) === 1n;
}

/**
 * The check sys_migrate_pages and sys_move_pages make before touching another process's memory:
 * the caller's real or effective uid matches the target's real or saved uid, or the caller has
 * CAP_SYS_NICE.
 */
export function mayMoveMemoryOf(caller: Task, target: Task): boolean {
  const c = caller.cred;
  const t = target.cred;
  return c.euid === t.suid || c.euid === t.uid || c.uid === t.suid || c.uid === t.uid || capable(caller, CAP_SYS_NICE);
}
