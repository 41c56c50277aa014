/** mm/mempolicy.c: set_mempolicy(2) and get_mempolicy(2). */
import {
  BITS_PER_LONG,
  EFAULT,
  MAX_NUMNODES,
  bitsOutside,
  EINVAL,
  FOLL_TOUCH,
  MPOL_BIND,
  MPOL_DEFAULT,
  MPOL_F_ADDR,
  MPOL_F_LOCAL,
  MPOL_F_MEMS_ALLOWED,
  MPOL_F_NODE,
  MPOL_F_RELATIVE_NODES,
  MPOL_F_STATIC_NODES,
  MPOL_INTERLEAVE,
  MPOL_MODE_FLAGS,
  MPOL_PREFERRED,
  PAGE_SIZE,
  type Kernel,
  type Mempolicy,
  type MmStruct,
  type Nodemask,
  type Task,
  type GetMempolicyOut,
  type UserArg,
  pageToNid,
} from "@balancenuma/include-linux";
import { vmaPolicyAt } from "./shared-policy.js";
import { DEFAULT_POLICY, getNodes, mpolMax, mpolNew, mpolSetNodemask, policyNodes } from "./policy.js";

/**
 * mm/mempolicy.c: sys_set_mempolicy with do_set_mempolicy: replace the task's policy. An interleave
 * policy restarts the task's interleave cursor at its first node.
 */
export function sysSetMempolicy(k: Kernel, task: Task, modeArg: number, nmask: UserArg<Nodemask> | null, maxnode: number): number {
  const flags = modeArg & MPOL_MODE_FLAGS;
  const mode = modeArg & ~MPOL_MODE_FLAGS;
  if (mode < 0 || mode >= mpolMax(k.features)) return -EINVAL;
  if (flags & MPOL_F_STATIC_NODES && flags & MPOL_F_RELATIVE_NODES) return -EINVAL;
  const nodes = getNodes(k, task, nmask, maxnode);
  if (typeof nodes === "number") return nodes;
  const pol = mpolNew(k.features, mode, flags, nodes);
  if (typeof pol === "number") return pol;
  const err = mpolSetNodemask(k, task, pol, nodes);
  if (err) return err;
  task.mempolicy = pol;
  if (pol !== null && pol.mode === MPOL_INTERLEAVE && pol.nodes !== 0n) task.ilNext = policyNodes(pol)[0];
  return 0;
}

/** mm/mempolicy.c: get_policy_nodemask: the nodes a policy names (empty for local and default). */
export function getPolicyNodemask(pol: Mempolicy): Nodemask {
  if (pol === DEFAULT_POLICY) return 0n;
  switch (pol.mode) {
    case MPOL_BIND:
    case MPOL_INTERLEAVE:
      return pol.nodes;
    case MPOL_PREFERRED:
      return pol.flags & MPOL_F_LOCAL ? 0n : 1n << BigInt(pol.preferredNode);
    default:
      return 0n;
  }
}

/**
 * mm/mempolicy.c: lookup_node: fault the page at addr in (get_user_pages, read) and return its node
 * or -errno. The model's getUserPage takes no reference without FOLL_GET, so there is none to drop.
 */
export function lookupNode(k: Kernel, mm: MmStruct, addr: number): number {
  const pfn = k.memory.getUserPage(k, mm, Math.floor(addr / PAGE_SIZE) * PAGE_SIZE, FOLL_TOUCH);
  if (pfn < 0) return pfn;
  return pageToNid(k.pages, pfn);
}

/**
 * mm/mempolicy.c: sys_get_mempolicy with do_get_mempolicy. A nodemask buffer needs maxnode of at
 * least MAX_NUMNODES (3.7; later kernels compare with nr_node_ids). Flags (an unsigned long: any
 * unknown bit is -EINVAL): MPOL_F_MEMS_ALLOWED (the cpuset mems; alone), MPOL_F_ADDR (the policy
 * of the vma at addr, not falling back to the task's; -EFAULT with no vma there), MPOL_F_NODE (with
 * ADDR: the node of the page at addr, faulted in for reading, so never-written memory answers the
 * zero page's node; alone: the next interleave node, valid only for a task interleave policy).
 * The model's out.nodemask is always a buffer: maxnode 0 stands for a NULL nmask (no nodemask
 * wanted). The answers are then stored: with out.at, each at its user address (put_user,
 * copy_nodes_to_user), -EFAULT when the caller cannot write there.
 */
export function sysGetMempolicy(k: Kernel, task: Task, out: GetMempolicyOut, maxnode: number, addr: number, flags: number): number {
  const wantMask = maxnode !== 0;
  if (wantMask && maxnode < MAX_NUMNODES) return -EINVAL;
  if (bitsOutside(flags, MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED)) return -EINVAL;
  let mode: number;
  let nodemask: Nodemask;
  if (flags & MPOL_F_MEMS_ALLOWED) {
    if (flags & (MPOL_F_NODE | MPOL_F_ADDR)) return -EINVAL;
    mode = 0;
    nodemask = task.memsAllowed;
  } else {
    let pol: Mempolicy | null = task.mempolicy;
    const mm = task.mm;
    if (flags & MPOL_F_ADDR) {
      // find_vma_intersection(mm, addr, addr + 1)
      const vma = mm !== null ? k.memory.findVma(mm, addr) : null;
      if (vma === null || vma.start > addr) return -EFAULT;
      pol = vmaPolicyAt(vma, addr);
    } else if (addr) return -EINVAL;
    if (pol === null) pol = DEFAULT_POLICY;
    if (flags & MPOL_F_NODE) {
      if (flags & MPOL_F_ADDR) {
        const nid = lookupNode(k, mm as MmStruct, addr);
        if (nid < 0) return nid;
        mode = nid;
      } else if (pol === task.mempolicy && pol.mode === MPOL_INTERLEAVE) mode = task.ilNext;
      else return -EINVAL;
    } else mode = (pol === DEFAULT_POLICY ? MPOL_DEFAULT : pol.mode) | (pol.flags & MPOL_MODE_FLAGS);
    nodemask = pol.flags & MPOL_MODE_FLAGS ? pol.userNodemask : getPolicyNodemask(pol);
  }
  const at = out.at ?? {};
  if (at.mode !== undefined && putUser(k, task, at.mode, 4)) return -EFAULT;
  out.mode = mode;
  if (!wantMask) return 0;
  // copy_nodes_to_user: ALIGN(maxnode - 1, 64) / 8 bytes, the part past a nodemask_t cleared.
  const copy = Math.ceil((maxnode - 1) / BITS_PER_LONG) * 8;
  const nbytes = MAX_NUMNODES / 8;
  if (copy > nbytes && copy > PAGE_SIZE) return -EINVAL;
  if (at.nodemask !== undefined && putUser(k, task, at.nodemask, Math.min(copy, PAGE_SIZE))) return -EFAULT;
  out.nodemask = nodemask;
  return 0;
}

/** put_user / copy_to_user of `bytes` at `addr` in the task's memory: true when it faults. */
function putUser(k: Kernel, task: Task, addr: unknown, bytes: number): boolean {
  if (typeof addr !== "number" || task.mm === null) return true;
  return k.memory.accessUser(k, task.mm, addr, bytes, true) !== 0;
}
