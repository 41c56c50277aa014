/**
 * User buffers of system calls (arch/x86/include/asm/uaccess.h). The model keeps no user memory
 * contents, so a syscall that reads or writes a buffer is given its value and, when the caller
 * wants the address checked, where it lives: `userBuf(addr, value)`. The kernel then copies from
 * or to [addr, addr + size) as copy_from_user/copy_to_user do: the range must lie below TASK_SIZE
 * and be mapped readable (writable, for output) in the caller, faulting pages in on the way, or
 * the call fails with -EFAULT. A bare value stands for a buffer in good memory.
 */
export interface UserBuf<T> {
  /** The buffer's user address in the caller's address space. */
  readonly addr: number;
  /** What the buffer holds (input), or receives (output). */
  value: T;
}

/** A buffer at `addr` holding `value`. */
export const userBuf = <T>(addr: number, value: T): UserBuf<T> => ({ addr, value });

/** Whether a syscall argument is a UserBuf (an object with a numeric addr and a value). */
export function isUserBuf(x: unknown): x is UserBuf<unknown> {
  return typeof x === "object" && x !== null && "addr" in x && "value" in x && typeof (x as { addr: unknown }).addr === "number";
}

/** A syscall buffer argument: the value itself (good memory) or a UserBuf. */
export type UserArg<T> = T | UserBuf<T>;
