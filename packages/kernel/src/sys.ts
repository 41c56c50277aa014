/**
 * kernel/sys.c and kernel/capability.c: changing a task's credentials (setuid, setresuid, capset),
 * with security/commoncap.c's rules for what a change of uid does to the capabilities.
 */
import { CAP_SETUID, EINVAL, EPERM, copyCred, capable, type Cred, type Task } from "@balancenuma/include-linux";

/** (uid_t)-1: "leave this id alone" for setresuid, and never a valid uid. */
const NO_UID = 0xffff_ffff;

/**
 * security/commoncap.c: cap_emulate_setxuid: leaving uid 0 from every id drops all capabilities;
 * an effective uid leaving 0 drops the effective set; one returning to 0 regains the permitted set.
 */
function capEmulateSetxuid(next: Cred, old: Cred): void {
  const wasRoot = old.uid === 0 || old.euid === 0 || old.suid === 0;
  const isRoot = next.uid === 0 || next.euid === 0 || next.suid === 0;
  if (wasRoot && !isRoot) {
    next.capPermitted = 0n;
    next.capEffective = 0n;
  }
  if (old.euid === 0 && next.euid !== 0) next.capEffective = 0n;
  if (old.euid !== 0 && next.euid === 0) next.capEffective = next.capPermitted;
}

/** kernel/sys.c: sys_setuid: with CAP_SETUID every id becomes uid; without, only the effective one, to the real or saved uid. */
export function sysSetuid(task: Task, uid: number): number {
  if (uid === NO_UID) return -EINVAL;
  const old = task.cred;
  const next = copyCred(old);
  if (capable(task, CAP_SETUID)) next.uid = next.suid = uid;
  else if (uid !== old.uid && uid !== old.suid) return -EPERM;
  next.euid = uid;
  capEmulateSetxuid(next, old);
  task.cred = next;
  return 0;
}

/**
 * kernel/sys.c: sys_setresuid: each id that is not -1 is set; without CAP_SETUID each must be one
 * of the current real, effective or saved uids.
 */
export function sysSetresuid(task: Task, ruid: number, euid: number, suid: number): number {
  const old = task.cred;
  const ids = [ruid, euid, suid];
  if (!capable(task, CAP_SETUID) && ids.some((id) => id !== NO_UID && id !== old.uid && id !== old.euid && id !== old.suid)) return -EPERM;
  const next = copyCred(old);
  if (ruid !== NO_UID) next.uid = ruid;
  if (euid !== NO_UID) next.euid = euid;
  if (suid !== NO_UID) next.suid = suid;
  capEmulateSetxuid(next, old);
  task.cred = next;
  return 0;
}

/**
 * kernel/capability.c: sys_capset on the calling task (security/commoncap.c cap_capset): the new
 * permitted set may only shrink, and the effective set must lie within it.
 */
export function sysCapset(task: Task, effective: bigint, permitted: bigint): number {
  const old = task.cred;
  if ((permitted & ~old.capPermitted) !== 0n || (effective & ~permitted) !== 0n) return -EPERM;
  task.cred = { ...copyCred(old), capEffective: effective, capPermitted: permitted };
  return 0;
}
