/**
 * mm/mempolicy.c, policy construction: get_nodes, mpol_new and the per-mode create helpers,
 * mpol_set_nodemask (contextualising the user's nodes against the cpuset), mpol_dup.
 */
import {
  BITS_PER_LONG,
  EFAULT,
  EINVAL,
  MAX_NUMNODES,
  MPOL_BIND,
  MPOL_DEFAULT,
  MPOL_F_LOCAL,
  MPOL_F_RELATIVE_NODES,
  MPOL_F_STATIC_NODES,
  MPOL_INTERLEAVE,
  MPOL_LOCAL,
  MPOL_MODE_FLAGS,
  MPOL_NOOP,
  MPOL_PREFERRED,
  PAGE_SIZE,
  isUserBuf,
  nodesOf,
  type Features,
  type Kernel,
  type Mempolicy,
  type Nodemask,
  type Task,
  type UserArg,
} from "@balancenuma/include-linux";

/**
 * MPOL_MAX at Linux 3.7-rc6: the enum ends after MPOL_INTERLEAVE as far as the syscalls are
 * concerned (MPOL_LOCAL = 4 is only a pseudo-mode for printing). Raised by 'Make MPOL_LOCAL a real
 * policy' (4 -> 5) and again while MPOL_NOOP exists.
 */
export const MPOL_MAX_3_7 = 4;

/**
 * include/uapi/linux/mempolicy.h: MPOL_MAX, the first mode the syscalls reject (`mode >= MPOL_MAX`).
 * Step 17 (gate mpolLocal) appends MPOL_LOCAL (4) to the enum, step 18 (gate mpolNoop) MPOL_NOOP
 * (5) after it, step 25 removes MPOL_NOOP again.
 */
export function mpolMax(features: Readonly<Features>): number {
  if (features.mpolNoop !== "absent") return MPOL_NOOP + 1;
  if (features.mpolLocal) return MPOL_LOCAL + 1;
  return MPOL_MAX_3_7;
}

/**
 * struct mempolicy as this package builds it: the shared interface plus the interleave node list
 * cached for the fault path (offset_il_node needs the n-th set node; bigint arithmetic would
 * allocate on every fault). `ilFor` records which `nodes` value the cache was built from.
 */
export interface CachedPolicy extends Mempolicy {
  ilNodes: Int32Array;
  ilFor: Nodemask;
}

export function newPolicy(mode: number, flags: number, nodes: Nodemask, preferredNode: number, userNodemask: Nodemask): CachedPolicy {
  return { mode, flags, nodes, preferredNode, userNodemask, ilNodes: Int32Array.from(nodesOf(nodes)), ilFor: nodes };
}

/** The nodes of a BIND/INTERLEAVE policy, ascending (rebuilt only if someone changed `nodes`). */
export function policyNodes(pol: Mempolicy): Int32Array {
  const c = pol as Partial<CachedPolicy> & Mempolicy;
  if (c.ilNodes === undefined || c.ilFor !== pol.nodes) {
    c.ilNodes = Int32Array.from(nodesOf(pol.nodes));
    c.ilFor = pol.nodes;
  }
  return c.ilNodes;
}

/** mm/mempolicy.c: default_policy: MPOL_PREFERRED with MPOL_F_LOCAL (allocate on the faulting CPU's node). */
export const DEFAULT_POLICY: Readonly<Mempolicy> = Object.freeze(newPolicy(MPOL_PREFERRED, MPOL_F_LOCAL, 0n, -1, 0n));

/** Nodes that have memory (node_states[N_HIGH_MEMORY]): every node of the simulated machine. */
function onlineNodes(k: Kernel): Nodemask {
  return (1n << BigInt(k.topology.nodes.length)) - 1n;
}

/** BITS_TO_LONGS(MAX_NUMNODES): the longs of a kernel nodemask_t. */
const NODEMASK_LONGS = MAX_NUMNODES / BITS_PER_LONG;

/**
 * Read `longs` longs of a user nodemask starting at long `from` (copy_from_user / get_user): the
 * value of a plain bigint, or of a UserBuf whose memory the caller can read. -EFAULT for a buffer
 * the caller cannot read and for anything that is not a buffer at all.
 */
function readMaskLongs(k: Kernel, task: Task, nmask: unknown, from: number, longs: number): Nodemask | number {
  let value: unknown = nmask;
  if (isUserBuf(nmask)) {
    if (task.mm === null) return -EFAULT;
    const err = k.memory.accessUser(k, task.mm, nmask.addr + from * 8, longs * 8, false);
    if (err) return err;
    value = nmask.value;
  }
  if (typeof value !== "bigint") return -EFAULT;
  return BigInt.asUintN(longs * BITS_PER_LONG, value >> BigInt(from * BITS_PER_LONG));
}

/**
 * mm/mempolicy.c: get_nodes: read a user nodemask of `maxnode` bits (maxnode an unsigned long
 * already). It is decremented first (the classic off-by-one the ABI keeps), so maxnode 1 or a NULL
 * mask means "no nodes"; maxnode 0 with a mask wraps to ULONG_MAX and is rejected, as is anything
 * above a page of bits. Longs past MAX_NUMNODES are read one by one and must be clear (the last
 * only up to maxnode); then the first longs are copied. Returns the mask, or -errno as a number.
 */
export function getNodes(k: Kernel, task: Task, nmask: UserArg<Nodemask> | null, maxnodeArg: number): Nodemask | number {
  const maxnode = maxnodeArg === 0 ? Infinity : maxnodeArg - 1;
  if (maxnode === 0 || nmask === null || nmask === undefined) return 0n;
  if (maxnode > PAGE_SIZE * 8) return -EINVAL;
  let nlongs = Math.ceil(maxnode / BITS_PER_LONG);
  if (nlongs > NODEMASK_LONGS) {
    const high = readMaskLongs(k, task, nmask, NODEMASK_LONGS, nlongs - NODEMASK_LONGS);
    if (typeof high === "number") return high;
    if ((high & ((1n << BigInt(maxnode - MAX_NUMNODES)) - 1n)) !== 0n) return -EINVAL;
    nlongs = NODEMASK_LONGS;
  }
  const low = readMaskLongs(k, task, nmask, 0, nlongs);
  if (typeof low === "number") return low;
  return low & ((1n << BigInt(Math.min(maxnode, MAX_NUMNODES))) - 1n);
}

/** Result of mpolNew: a policy, NULL (MPOL_DEFAULT), or -errno. */
export type MpolNewResult = CachedPolicy | null | number;

/**
 * mm/mempolicy.c: mpol_new: check a mode against the user's nodemask and make an (uncontextualised)
 * policy. MPOL_DEFAULT gives NULL and accepts only an empty mask; PREFERRED with no nodes is local
 * allocation (and then takes no mode flags); BIND and INTERLEAVE need nodes. From step 17 (gate
 * mpolLocal) MPOL_LOCAL takes no nodes and becomes PREFERRED, which mpol_set_nodemask then turns into
 * local allocation (MPOL_F_LOCAL). At steps 18-24 (gate mpolNoop) MPOL_NOOP is handled exactly like
 * MPOL_DEFAULT here (NULL policy, empty mask only).
 */
export function mpolNew(features: Readonly<Features>, mode: number, flags: number, nodes: Nodemask): MpolNewResult {
  if (mode === MPOL_DEFAULT || (features.mpolNoop !== "absent" && mode === MPOL_NOOP)) return nodes !== 0n ? -EINVAL : null;
  if (mode === MPOL_PREFERRED) {
    if (nodes === 0n && flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) return -EINVAL;
  } else if (features.mpolLocal && mode === MPOL_LOCAL) {
    if (nodes !== 0n) return -EINVAL;
    mode = MPOL_PREFERRED;
  } else if (nodes === 0n) return -EINVAL;
  return newPolicy(mode, flags, 0n, -1, 0n);
}

/**
 * mm/mempolicy.c: mpol_relative_nodemask: fold the user's nodes onto the allowed set, so bit n of
 * the request means "the (n mod weight)-th allowed node".
 */
export function mpolRelativeNodemask(orig: Nodemask, rel: Nodemask): Nodemask {
  const allowed = nodesOf(rel);
  if (allowed.length === 0) return 0n;
  let out = 0n;
  for (const n of nodesOf(orig)) out |= 1n << BigInt(allowed[n % allowed.length]);
  return out;
}

/**
 * mm/mempolicy.c: mpol_set_nodemask with mpol_new_preferred/bind/interleave: restrict the user's
 * nodes to the task's cpuset mems that have memory (or map them relatively), then fill the policy.
 * A policy left with no node is -EINVAL. Returns 0 or -errno.
 */
export function mpolSetNodemask(k: Kernel, task: Task, pol: CachedPolicy | null, nodes: Nodemask): number {
  if (pol === null) return 0;
  const allowed = task.memsAllowed & onlineNodes(k);
  let ctx: Nodemask | null;
  if (pol.mode === MPOL_PREFERRED && nodes === 0n)
    ctx = null; // explicit local allocation
  else {
    ctx = pol.flags & MPOL_F_RELATIVE_NODES ? mpolRelativeNodemask(nodes, allowed) : nodes & allowed;
    // The union w: STATIC/RELATIVE policies keep the user's mask, others the cpuset mems at creation.
    pol.userNodemask = pol.flags & MPOL_MODE_FLAGS ? nodes : task.memsAllowed;
  }
  switch (pol.mode) {
    case MPOL_PREFERRED:
      if (ctx === null) {
        pol.flags |= MPOL_F_LOCAL;
        pol.preferredNode = -1;
      } else if (ctx === 0n)
        return -EINVAL; // no allowed node
      else pol.preferredNode = nodesOf(ctx)[0];
      return 0;
    case MPOL_BIND:
    case MPOL_INTERLEAVE:
      if (ctx === null || ctx === 0n) return -EINVAL;
      pol.nodes = ctx;
      pol.ilNodes = Int32Array.from(nodesOf(ctx));
      pol.ilFor = ctx;
      return 0;
    default:
      return -EINVAL;
  }
}

/** mm/mempolicy.c: mpol_dup (__mpol_dup): a private copy; NULL and default_policy stay as they are. */
export function mpolDup(pol: Mempolicy | null): Mempolicy | null {
  if (pol === null || pol === DEFAULT_POLICY) return pol;
  return newPolicy(pol.mode, pol.flags, pol.nodes, pol.preferredNode, pol.userNodemask);
}
