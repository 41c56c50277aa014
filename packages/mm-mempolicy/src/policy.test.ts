import { describe, it, expect } from "vitest";
import {
  BASELINE_FEATURES,
  MAX_NUMNODES,
  EFAULT,
  EINVAL,
  GFP_HIGHUSER_MOVABLE,
  GFP_THISNODE,
  MPOL_BIND,
  MPOL_DEFAULT,
  MPOL_F_ADDR,
  MPOL_F_LOCAL,
  MPOL_F_MEMS_ALLOWED,
  MPOL_F_NODE,
  MPOL_F_RELATIVE_NODES,
  MPOL_F_STATIC_NODES,
  MPOL_INTERLEAVE,
  MPOL_LOCAL,
  MPOL_PREFERRED,
  PAGE_SIZE,
  PMD_SIZE,
  USER_BASE,
  nodeMask,
  type Kernel,
  type Mempolicy,
  type Nodemask,
  type Task,
  type Vma,
  pageToNid,
} from "@balancenuma/include-linux";
import { makeTopology } from "@balancenuma/machine";
import { NUMA_INTERLEAVE_HIT, newVmCounters } from "@balancenuma/vmstat";
import { DEFAULT_POLICY, getNodes, mpolDup, mpolRelativeNodemask } from "./policy.js";
import { allocPagesVma, getVmaPolicy, interleaveNid, policyZonelistNode } from "./alloc.js";
import { sysGetMempolicy, sysSetMempolicy } from "./set-mempolicy.js";
import { mpolToStr } from "./mpol-to-str.js";

/**
 * A hand-made kernel context with just what policy code touches: a 4-node topology, CPUs, counters,
 * and an allocator that records its calls and hands out pages from a per-node free count.
 */
function fakeKernel(nodes = 4, freePerNode = 100) {
  const topology = makeTopology({ name: "t", memBytes: Array(nodes).fill(64 << 20), cpusPerNode: Array(nodes).fill(2) });
  const free = Array(nodes).fill(freePerNode);
  const calls: { nid: number; order: number; mask: Nodemask | null; gfp: number }[] = [];
  const blockNid = new Uint8Array(4096);
  let nextPfn = 0;
  const zonelist = (nid: number) => [nid, ...Array.from({ length: nodes }, (_, i) => i).filter((i) => i !== nid)];
  const k = {
    features: BASELINE_FEATURES,
    topology,
    vm: newVmCounters(nodes),
    pages: { blockNid },
    cpus: topology.cpuToNode.map((node, id) => ({ id, node })),
    currentCpu: 0,
    current: null as Task | null,
    pageAlloc: {
      zonelist,
      allocPages(_k: Kernel, gfp: number, order: number, nid: number, mask: Nodemask | null) {
        calls.push({ nid, order, mask, gfp });
        for (const n of zonelist(nid)) {
          if (mask !== null && !((mask >> BigInt(n)) & 1n)) continue;
          if (free[n] >= 1 << order) {
            free[n] -= 1 << order;
            // Each page from its own 2 MiB block, which then lies on node n.
            const pfn = nextPfn++ * 512;
            blockNid[pfn / 512] = n;
            return pfn;
          }
        }
        return -1;
      },
    },
  } as unknown as Kernel;
  return { k, calls, free };
}

function fakeTask(memsAllowed: Nodemask = nodeMask(0, 1, 2, 3)): Task {
  return { pid: 1, tgid: 1, mm: null, mempolicy: null, ilNext: 0, memsAllowed } as unknown as Task;
}

function vmaAt(start: number, pages: number, policy: Mempolicy | null = null): Vma {
  return { start, end: start + pages * PAGE_SIZE, pgoff: (start - USER_BASE) / PAGE_SIZE, flags: 0, policy, anonVma: null } as unknown as Vma;
}

const out = () => ({ mode: -1, nodemask: -1n });

/** get_nodes on a plain nodemask value (no user memory is read). */
const readNodes = (mask: bigint | null, maxnode: number) => getNodes({} as never, {} as never, mask, maxnode);

describe("get_nodes", () => {
  it("decrements maxnode first: maxnode 1 and NULL masks are empty, maxnode 0 with a mask is EINVAL", () => {
    expect(readNodes(nodeMask(0), 1)).toBe(0n);
    expect(readNodes(null, 64)).toBe(0n);
    expect(readNodes(nodeMask(0), 0)).toBe(-EINVAL);
    // maxnode 2 reads only bit 0.
    expect(readNodes(nodeMask(0, 1), 2)).toBe(nodeMask(0));
  });
  it("rejects a buffer larger than a page of bits and bits set at or above MAX_NUMNODES", () => {
    expect(readNodes(nodeMask(0), 4096 * 8 + 2)).toBe(-EINVAL);
    expect(readNodes(1n << 1500n, 2000)).toBe(-EINVAL);
    expect(readNodes(nodeMask(3) | (1n << 1500n), 1200)).toBe(nodeMask(3)); // bit 1500 is beyond maxnode: not read
  });
});

describe("set_mempolicy / get_mempolicy", () => {
  it("sets and reports each mode with its nodes", () => {
    const { k } = fakeKernel();
    const t = fakeTask();
    expect(sysSetMempolicy(k, t, MPOL_BIND, nodeMask(1, 2), 5)).toBe(0);
    const o = out();
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, 0, 0)).toBe(0);
    expect(o).toEqual({ mode: MPOL_BIND, nodemask: nodeMask(1, 2) });
    expect(sysSetMempolicy(k, t, MPOL_PREFERRED, nodeMask(2, 3), 5)).toBe(0);
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, 0, 0)).toBe(0);
    expect(o).toEqual({ mode: MPOL_PREFERRED, nodemask: nodeMask(2) });
    expect(sysSetMempolicy(k, t, MPOL_PREFERRED, null, 0)).toBe(0); // local allocation
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, 0, 0)).toBe(0);
    expect(o).toEqual({ mode: MPOL_PREFERRED, nodemask: 0n });
    expect(sysSetMempolicy(k, t, MPOL_DEFAULT, null, 0)).toBe(0);
    expect(t.mempolicy).toBeNull();
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, 0, 0)).toBe(0);
    expect(o).toEqual({ mode: MPOL_DEFAULT, nodemask: 0n });
  });

  it("rejects bad modes and nodemasks with EINVAL", () => {
    const { k } = fakeKernel();
    const t = fakeTask(nodeMask(0, 1));
    expect(sysSetMempolicy(k, t, MPOL_LOCAL, null, 0)).toBe(-EINVAL); // not a syscall mode at 3.7-rc6
    expect(sysSetMempolicy(k, t, 7, null, 0)).toBe(-EINVAL);
    expect(sysSetMempolicy(k, t, MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, nodeMask(0), 5)).toBe(-EINVAL);
    expect(sysSetMempolicy(k, t, MPOL_BIND, null, 0)).toBe(-EINVAL);
    expect(sysSetMempolicy(k, t, MPOL_INTERLEAVE, 0n, 5)).toBe(-EINVAL);
    expect(sysSetMempolicy(k, t, MPOL_DEFAULT, nodeMask(1), 5)).toBe(-EINVAL);
    expect(sysSetMempolicy(k, t, MPOL_PREFERRED | MPOL_F_STATIC_NODES, null, 0)).toBe(-EINVAL);
    // Outside the cpuset's mems (nodes 2,3) or not existing (9): no allowed node left.
    expect(sysSetMempolicy(k, t, MPOL_BIND, nodeMask(2, 3), 5)).toBe(-EINVAL);
    expect(sysSetMempolicy(k, t, MPOL_PREFERRED, nodeMask(9), 16)).toBe(-EINVAL);
    expect(t.mempolicy).toBeNull();
    // Partly allowed: contextualised to the allowed part.
    expect(sysSetMempolicy(k, t, MPOL_INTERLEAVE, nodeMask(1, 2, 3), 5)).toBe(0);
    expect(t.mempolicy?.nodes).toBe(nodeMask(1));
  });

  it("relative nodes fold onto the allowed set, static nodes report what the user asked", () => {
    const { k } = fakeKernel();
    const t = fakeTask(nodeMask(1, 3));
    expect(mpolRelativeNodemask(nodeMask(0, 1, 2), nodeMask(1, 3))).toBe(nodeMask(1, 3));
    expect(sysSetMempolicy(k, t, MPOL_INTERLEAVE | MPOL_F_RELATIVE_NODES, nodeMask(1), 5)).toBe(0);
    expect(t.mempolicy?.nodes).toBe(nodeMask(3));
    expect(sysSetMempolicy(k, t, MPOL_BIND | MPOL_F_STATIC_NODES, nodeMask(0, 1), 5)).toBe(0);
    expect(t.mempolicy?.nodes).toBe(nodeMask(1));
    const o = out();
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, 0, 0)).toBe(0);
    expect(o).toEqual({ mode: MPOL_BIND | MPOL_F_STATIC_NODES, nodemask: nodeMask(0, 1) });
  });

  it("interleave resets il_next; MPOL_F_NODE alone returns it only for a task interleave policy", () => {
    const { k } = fakeKernel();
    const t = fakeTask();
    const o = out();
    expect(sysGetMempolicy(k, t, o, 0, 0, MPOL_F_NODE)).toBe(-EINVAL);
    expect(sysSetMempolicy(k, t, MPOL_INTERLEAVE, nodeMask(2, 3), 5)).toBe(0);
    expect(t.ilNext).toBe(2);
    expect(sysGetMempolicy(k, t, o, 0, 0, MPOL_F_NODE)).toBe(0);
    expect(o.mode).toBe(2);
  });

  it("checks flags, addr and maxnode", () => {
    const { k } = fakeKernel();
    const t = fakeTask(nodeMask(0, 2));
    const o = out();
    // 3.7 wants room for MAX_NUMNODES bits (later kernels: nr_node_ids).
    expect(sysGetMempolicy(k, t, o, 2, 0, 0)).toBe(-EINVAL);
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES - 1, 0, 0)).toBe(-EINVAL);
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, 0, 0)).toBe(0);
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, 0, 1 << 5)).toBe(-EINVAL);
    // flags is an unsigned long: a bit above the low 32 is an unknown flag too.
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, 0, 2 ** 32 + MPOL_F_MEMS_ALLOWED)).toBe(-EINVAL);
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, 0, MPOL_F_MEMS_ALLOWED | MPOL_F_NODE)).toBe(-EINVAL);
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, USER_BASE, 0)).toBe(-EINVAL); // addr without MPOL_F_ADDR
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, 0, MPOL_F_MEMS_ALLOWED)).toBe(0);
    expect(o).toEqual({ mode: 0, nodemask: nodeMask(0, 2) });
  });

  it("MPOL_F_ADDR reads the vma policy (not the task's) and fails with EFAULT outside any vma", () => {
    const { k } = fakeKernel();
    const t = fakeTask();
    const vma = vmaAt(USER_BASE + 16 * PAGE_SIZE, 16);
    t.mm = { vmas: [vma] } as unknown as Task["mm"];
    (k as { memory: unknown }).memory = { findVma: (_mm: unknown, a: number) => (a < vma.end ? vma : null) };
    expect(sysSetMempolicy(k, t, MPOL_BIND, nodeMask(1), 5)).toBe(0);
    const o = out();
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, vma.start, MPOL_F_ADDR)).toBe(0);
    expect(o).toEqual({ mode: MPOL_DEFAULT, nodemask: 0n });
    vma.policy = mpolDup(t.mempolicy);
    vma.policy!.nodes = nodeMask(3);
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, vma.start + 5, MPOL_F_ADDR)).toBe(0);
    expect(o).toEqual({ mode: MPOL_BIND, nodemask: nodeMask(3) });
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, USER_BASE, MPOL_F_ADDR)).toBe(-EFAULT);
    expect(sysGetMempolicy(k, t, o, MAX_NUMNODES, vma.end, MPOL_F_ADDR)).toBe(-EFAULT);
  });
});

describe("policy lookup and allocation", () => {
  it("get_vma_policy: vma policy, else task policy, else default_policy", () => {
    const { k } = fakeKernel();
    const t = fakeTask();
    const vma = vmaAt(USER_BASE, 4);
    expect(getVmaPolicy(k, t, vma, vma.start)).toBe(DEFAULT_POLICY);
    expect(sysSetMempolicy(k, t, MPOL_BIND, nodeMask(1), 5)).toBe(0);
    expect(getVmaPolicy(k, t, vma, vma.start)).toBe(t.mempolicy);
    vma.policy = mpolDup(t.mempolicy);
    expect(getVmaPolicy(k, t, vma, vma.start)).toBe(vma.policy);
    expect(getVmaPolicy(k, null, null, 0)).toBe(DEFAULT_POLICY);
  });

  it("default allocates on the faulting CPU's node, preferred on its node, both falling back", () => {
    const { k, calls, free } = fakeKernel();
    const t = fakeTask();
    k.current = t;
    const vma = vmaAt(USER_BASE, 64);
    k.currentCpu = 5; // node 2
    expect(pageToNid(k.pages, allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, vma.start))).toBe(2);
    expect(calls.at(-1)).toMatchObject({ nid: 2, mask: null });
    expect(sysSetMempolicy(k, t, MPOL_PREFERRED, nodeMask(3), 5)).toBe(0);
    expect(pageToNid(k.pages, allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, vma.start))).toBe(3);
    free[3] = 0;
    expect(pageToNid(k.pages, allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, vma.start))).toBe(0); // the zonelist of node 3 falls back to node 0 first
    expect(calls.at(-1)).toMatchObject({ nid: 3, mask: null });
  });

  it("bind stays node-local inside its mask and never falls back outside it", () => {
    const { k, calls, free } = fakeKernel();
    const t = fakeTask();
    k.current = t;
    const vma = vmaAt(USER_BASE, 64);
    expect(sysSetMempolicy(k, t, MPOL_BIND, nodeMask(1, 3), 5)).toBe(0);
    k.currentCpu = 6; // node 3: inside the mask
    expect(pageToNid(k.pages, allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, vma.start))).toBe(3);
    k.currentCpu = 0; // node 0: zonelist of node 0, restricted to {1,3}
    expect(pageToNid(k.pages, allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, vma.start))).toBe(1);
    expect(calls.at(-1)).toMatchObject({ nid: 0, mask: nodeMask(1, 3) });
    free[1] = 0;
    free[3] = 0;
    expect(allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, vma.start)).toBe(-1);
    // __GFP_THISNODE from outside the mask starts at the mask's first node.
    expect(policyZonelistNode(GFP_THISNODE, t.mempolicy!, 0)).toBe(1);
    expect(policyZonelistNode(GFP_THISNODE, t.mempolicy!, 3)).toBe(3);
  });

  it("interleave places pages round robin by offset in the mapping and counts interleave hits", () => {
    const { k, free } = fakeKernel();
    const t = fakeTask();
    k.current = t;
    expect(sysSetMempolicy(k, t, MPOL_INTERLEAVE, nodeMask(0, 2, 3), 5)).toBe(0);
    const vma = vmaAt(USER_BASE + 30 * PAGE_SIZE, 64); // pgoff 30: 30 % 3 = 0 -> first node
    const nodes = [0, 1, 2, 3, 4, 5].map((i) => pageToNid(k.pages, allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, vma.start + i * PAGE_SIZE)));
    expect(nodes).toEqual([0, 2, 3, 0, 2, 3]);
    // The same page offset gives the same node whoever faults it, in whatever order.
    k.currentCpu = 7;
    expect(pageToNid(k.pages, allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, vma.start + 4 * PAGE_SIZE))).toBe(2);
    expect(k.vm.nodeStat[0][NUMA_INTERLEAVE_HIT] + k.vm.nodeStat[2][NUMA_INTERLEAVE_HIT] + k.vm.nodeStat[3][NUMA_INTERLEAVE_HIT]).toBe(7);
    free[3] = 0; // falls back: no hit counted
    const pfn = allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, vma.start + 2 * PAGE_SIZE);
    expect(pageToNid(k.pages, pfn)).not.toBe(3);
    expect(k.vm.nodeStat[3][NUMA_INTERLEAVE_HIT]).toBe(2);
  });

  it("interleave for a huge page uses the offset in huge-page units", () => {
    const { k } = fakeKernel();
    const t = fakeTask();
    expect(sysSetMempolicy(k, t, MPOL_INTERLEAVE, nodeMask(0, 1, 2), 5)).toBe(0);
    const vma = vmaAt(USER_BASE + 4 * PMD_SIZE, 2048); // pgoff 2048 -> 4 huge pages
    expect(interleaveNid(k, t.mempolicy!, vma, vma.start, 21)).toBe(4 % 3);
    expect(interleaveNid(k, t.mempolicy!, vma, vma.start + PMD_SIZE, 21)).toBe(5 % 3);
    expect(interleaveNid(k, t.mempolicy!, vma, vma.start + PMD_SIZE, 12)).toBe((2048 + 512) % 3);
  });
});

describe("mpol_to_str and mpol_dup", () => {
  it("prints numa_maps policy strings", () => {
    const { k } = fakeKernel();
    const t = fakeTask();
    const str = (mode: number, mask: Nodemask | null) => {
      expect(sysSetMempolicy(k, t, mode, mask, 5)).toBe(0);
      return mpolToStr(t.mempolicy);
    };
    expect(mpolToStr(null)).toBe("default");
    expect(mpolToStr(DEFAULT_POLICY)).toBe("default");
    expect(str(MPOL_PREFERRED, nodeMask(1))).toBe("prefer:1");
    expect(str(MPOL_PREFERRED, null)).toBe("local");
    expect(str(MPOL_BIND, nodeMask(0, 1))).toBe("bind:0-1");
    expect(str(MPOL_INTERLEAVE, nodeMask(0, 2))).toBe("interleave:0,2");
    expect(str(MPOL_INTERLEAVE | MPOL_F_STATIC_NODES, nodeMask(0, 1, 3))).toBe("interleave=static:0-1,3");
    expect(str(MPOL_PREFERRED | MPOL_F_RELATIVE_NODES, nodeMask(2))).toBe("prefer=relative:2");
  });

  it("dup gives an independent copy (fork), NULL stays NULL", () => {
    const { k } = fakeKernel();
    const t = fakeTask();
    expect(sysSetMempolicy(k, t, MPOL_INTERLEAVE, nodeMask(1, 2), 5)).toBe(0);
    const c = mpolDup(t.mempolicy)!;
    expect(c).not.toBe(t.mempolicy);
    expect(mpolToStr(c)).toBe("interleave:1-2");
    expect(mpolDup(null)).toBeNull();
    expect(DEFAULT_POLICY.flags).toBe(MPOL_F_LOCAL);
  });
});
