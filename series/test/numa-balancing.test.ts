import { describe, it, expect } from "vitest";
import {
  BASELINE_FEATURES,
  LAST_NID_NONE,
  MPOL_BIND,
  MPOL_F_LOCAL,
  MPOL_F_MOF,
  MPOL_F_MORON,
  MPOL_INTERLEAVE,
  MPOL_PREFERRED,
  PAGE_SIZE,
  USER_BASE,
  nodeMask,
  type Features,
  type Kernel,
  type Mempolicy,
  type Nodemask,
  type Task,
  type Vma,
} from "@balancenuma/include-linux";
import { makeTopology } from "@balancenuma/machine";
import { featuresAtStep } from "../features.js";
import { mpolMax, newPolicy } from "@balancenuma/mm-mempolicy";
import { mpolMisplaced } from "@balancenuma/mm-mempolicy";
import { getTaskPolicy, getVmaPolicy, numaMapsPolicy } from "@balancenuma/mm-mempolicy";
import { numaPolicyInit, setupNumabalancing } from "@balancenuma/mm-mempolicy";
import { newMempolicyStatics, type MempolicyStatics } from "@balancenuma/mm-mempolicy";

/**
 * A hand-made kernel context (the one place the tests use one instead of testbed.ts): numa_policy_init
 * and the numa_balancing= handler are boot code, tested here as they run before the kernel they set
 * up exists, which a booted testbed cannot show. 4 nodes with 2 CPUs each, one 2 MiB block of pages per node (pfn / 512 = node), a zonelist with
 * an explicit nearest-first order, the mempolicy statics, and a scheduler that records
 * set_numabalancing_state.
 */
function fakeKernel(features: Partial<Features>, nodes = 4) {
  const topology = makeTopology({ name: "t", memBytes: Array(nodes).fill(64 << 20), cpusPerNode: Array(nodes).fill(2) });
  const blockNid = Uint8Array.from({ length: nodes }, (_, block) => block);
  const lastNid = new Int8Array(nodes * 512).fill(LAST_NID_NONE);
  // Node 0's nearest are 3, then 2, then 1 (as a SLIT could say); others by id.
  const zonelist = (n: number) => (n === 0 ? [0, 3, 2, 1] : [n, ...Array.from({ length: nodes }, (_, i) => i).filter((i) => i !== n)]);
  const statics: MempolicyStatics = newMempolicyStatics();
  const states: boolean[] = [];
  const log: string[] = [];
  const k = {
    features: { ...BASELINE_FEATURES, ...features },
    topology,
    pages: { blockNid, lastNid },
    cpus: topology.cpuToNode.map((node, id) => ({ id, node })),
    currentCpu: 0,
    current: null as Task | null,
    pageAlloc: { zonelist },
    mempolicy: { statics },
    sched: { setNumabalancingState: (_k: Kernel, on: boolean) => states.push(on) },
    printk: (level: string, text: string) => log.push(`${level}: ${text}`),
  } as unknown as Kernel;
  return { k, statics, states, log };
}

const pfnOn = (node: number) => node * 512 + 1;
const pol = (mode: number, flags: number, nodes: Nodemask, preferred = -1): Mempolicy => newPolicy(mode, flags, nodes, preferred, 0n);
function vmaWith(policy: Mempolicy | null, pgoff = 0): Vma {
  return { start: USER_BASE, end: USER_BASE + 64 * PAGE_SIZE, pgoff, flags: 0, policy, anonVma: null } as unknown as Vma;
}

describe("MPOL_MAX (steps 17, 18, 25)", () => {
  it("4 at 3.7, 5 with MPOL_LOCAL, 6 while MPOL_NOOP exists, 5 again at 25", () => {
    expect([0, 16, 17, 18, 24, 25, 49].map((s) => mpolMax(featuresAtStep(s)))).toEqual([4, 4, 5, 6, 6, 5, 5]);
  });
});

describe("mpol_misplaced (step 19)", () => {
  const on = { mpolMisplaced: true };

  it("does not exist before step 19, and policies without MPOL_F_MOF never ask for a move", () => {
    expect(mpolMisplaced(fakeKernel({}).k, pfnOn(0), vmaWith(pol(MPOL_PREFERRED, MPOL_F_MOF, 0n, 1)), USER_BASE)).toBe(-1);
    const { k } = fakeKernel(on);
    expect(mpolMisplaced(k, pfnOn(0), vmaWith(pol(MPOL_PREFERRED, 0, 0n, 1)), USER_BASE)).toBe(-1);
    expect(mpolMisplaced(k, pfnOn(0), vmaWith(null), USER_BASE)).toBe(-1); // default_policy
  });

  it("PREFERRED: the preferred node, or the faulting CPU's node when local", () => {
    const { k } = fakeKernel(on);
    const v = vmaWith(pol(MPOL_PREFERRED, MPOL_F_MOF, 0n, 1));
    expect(mpolMisplaced(k, pfnOn(0), v, USER_BASE)).toBe(1);
    expect(mpolMisplaced(k, pfnOn(1), v, USER_BASE)).toBe(-1);
    const local = vmaWith(pol(MPOL_PREFERRED, MPOL_F_MOF | MPOL_F_LOCAL, 0n));
    k.currentCpu = 5; // node 2
    expect(mpolMisplaced(k, pfnOn(0), local, USER_BASE)).toBe(2);
    expect(mpolMisplaced(k, pfnOn(2), local, USER_BASE)).toBe(-1);
  });

  it("BIND: fine inside the mask, else the allowed node nearest to the faulting CPU", () => {
    const { k } = fakeKernel(on);
    const v = vmaWith(pol(MPOL_BIND, MPOL_F_MOF, nodeMask(1, 2)));
    expect(mpolMisplaced(k, pfnOn(2), v, USER_BASE)).toBe(-1);
    expect(mpolMisplaced(k, pfnOn(1), v, USER_BASE)).toBe(-1);
    k.currentCpu = 0; // node 0: zonelist 0, 3, 2, 1
    expect(mpolMisplaced(k, pfnOn(0), v, USER_BASE)).toBe(2);
    expect(mpolMisplaced(k, pfnOn(3), v, USER_BASE)).toBe(2);
    k.currentCpu = 2; // node 1: zonelist 1, 0, 2, 3
    expect(mpolMisplaced(k, pfnOn(3), v, USER_BASE)).toBe(1);
  });

  it("INTERLEAVE: the interleave node of the page offset in the mapping", () => {
    const { k } = fakeKernel(on);
    const v = vmaWith(pol(MPOL_INTERLEAVE, MPOL_F_MOF, nodeMask(0, 2, 3)), 30); // pgoff 30
    // offset 30 + 4 = 34, 34 % 3 = 1 -> the second node, 2
    expect(mpolMisplaced(k, pfnOn(0), v, USER_BASE + 4 * PAGE_SIZE)).toBe(2);
    expect(mpolMisplaced(k, pfnOn(2), v, USER_BASE + 4 * PAGE_SIZE)).toBe(-1);
    expect(mpolMisplaced(k, pfnOn(2), v, USER_BASE + 5 * PAGE_SIZE)).toBe(3);
  });
});

describe("migrate on reference (step 31) and the two-stage filter (step 40)", () => {
  const at31 = { mpolMisplaced: true, migrateOnReference: true };

  it("numa_policy_init fills preferred_node_policy; tasks without a policy get their CPU node's entry", () => {
    const { k, statics } = fakeKernel(at31);
    const t = { mempolicy: null } as unknown as Task;
    expect(getTaskPolicy(k, t)).toBeNull(); // not initialised yet (early boot)
    numaPolicyInit(k);
    expect(statics.preferredNodePolicy.map((p) => [p.mode, p.flags, p.preferredNode])).toEqual(
      [0, 1, 2, 3].map((n) => [MPOL_PREFERRED, MPOL_F_MOF | MPOL_F_MORON, n]),
    );
    k.currentCpu = 3; // node 1
    expect(getTaskPolicy(k, t)).toBe(statics.preferredNodePolicy[1]);
    expect(getVmaPolicy(k, t, vmaWith(null), USER_BASE)).toBe(statics.preferredNodePolicy[1]);
    // numa_maps prints the reader's node.
    expect(numaMapsPolicy(k, t, vmaWith(null))).toBe("prefer:1");
    expect(numaMapsPolicy(k, t, vmaWith(null), 6)).toBe("prefer:3");
    // An explicit task or vma policy still wins.
    const own = pol(MPOL_BIND, 0, nodeMask(0));
    expect(getTaskPolicy(k, { mempolicy: own } as unknown as Task)).toBe(own);
    expect(getVmaPolicy(k, t, vmaWith(own), USER_BASE)).toBe(own);
    // Not before step 31.
    const old = fakeKernel({ mpolMisplaced: true });
    numaPolicyInit(old.k);
    expect(old.statics.preferredNodePolicy).toEqual([]);
    expect(getTaskPolicy(old.k, t)).toBeNull();
  });

  it("MORON: a policy-less task's page belongs on the faulting CPU's node", () => {
    const { k } = fakeKernel(at31);
    numaPolicyInit(k);
    k.current = { mempolicy: null } as unknown as Task;
    k.currentCpu = 5; // node 2
    expect(mpolMisplaced(k, pfnOn(0), vmaWith(null), USER_BASE)).toBe(2);
    expect(mpolMisplaced(k, pfnOn(2), vmaWith(null), USER_BASE)).toBe(-1);
    // The MORON override also wins over the policy's own node.
    expect(mpolMisplaced(k, pfnOn(1), vmaWith(pol(MPOL_PREFERRED, MPOL_F_MOF | MPOL_F_MORON, 0n, 1)), USER_BASE)).toBe(2);
  });

  it("two-stage filter: the first fault from a node arms, a second consecutive one migrates", () => {
    const { k } = fakeKernel({ ...at31, lastNid: true, twoStageFilter: true, CONFIG_NUMA_BALANCING: true });
    numaPolicyInit(k);
    k.current = { mempolicy: null } as unknown as Task;
    const pfn = pfnOn(0);
    k.currentCpu = 2; // node 1
    expect(mpolMisplaced(k, pfn, vmaWith(null), USER_BASE)).toBe(-1);
    expect(k.pages.lastNid[pfn]).toBe(1);
    expect(mpolMisplaced(k, pfn, vmaWith(null), USER_BASE)).toBe(1);
    // Alternating nodes never migrate.
    k.currentCpu = 4; // node 2
    expect(mpolMisplaced(k, pfn, vmaWith(null), USER_BASE)).toBe(-1);
    k.currentCpu = 2;
    expect(mpolMisplaced(k, pfn, vmaWith(null), USER_BASE)).toBe(-1);
    // Explicit MOF policies without MORON are not filtered.
    expect(mpolMisplaced(k, pfnOn(3), vmaWith(pol(MPOL_PREFERRED, MPOL_F_MOF, 0n, 1)), USER_BASE)).toBe(1);
  });
});

describe("numa_balancing= and check_numabalancing_enable (step 42)", () => {
  const at42 = { CONFIG_NUMA_BALANCING: true, numaBalancingControl: true };

  it("a NUMA machine announces and enables balancing unless numa_balancing= was given", () => {
    const multi = fakeKernel(at42);
    numaPolicyInit(multi.k);
    expect(multi.log).toEqual(["info: Enabling automatic NUMA balancing. Configure with numa_balancing= or sysctl"]);
    expect(multi.states).toEqual([true]);
    const single = fakeKernel(at42, 1);
    numaPolicyInit(single.k);
    expect(single.log).toEqual([]);
    expect(single.states).toEqual([]);
  });

  it("enable / disable set the state and the override; anything else warns but still overrides", () => {
    for (const [value, states, log] of [
      ["enable", [true], []],
      ["disable", [false], []],
      ["maybe", [], ["warning: Unable to parse numa_balancing="]],
      ["", [], ["warning: Unable to parse numa_balancing="]],
    ] as const) {
      const f = fakeKernel(at42);
      setupNumabalancing(f.k, value);
      numaPolicyInit(f.k);
      expect(f.statics.numabalancingOverride).toBe(true);
      expect(f.states).toEqual(states);
      expect(f.log).toEqual(log);
    }
  });

  it("nothing before step 42 or without CONFIG_NUMA_BALANCING", () => {
    for (const features of [{ CONFIG_NUMA_BALANCING: true }, { numaBalancingControl: true }]) {
      const f = fakeKernel(features);
      setupNumabalancing(f.k, "enable");
      numaPolicyInit(f.k);
      expect([f.states, f.log, f.statics.numabalancingOverride]).toEqual([[], [], false]);
    }
  });
});
