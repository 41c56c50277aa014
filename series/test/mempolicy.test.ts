import { describe, it, expect } from "vitest";
import {
  CAP_SYS_NICE,
  MAX_NUMNODES,
  EFAULT,
  EINVAL,
  EIO,
  EPERM,
  GFP_HIGHUSER_MOVABLE,
  HPAGE_SIZE,
  __GFP_THISNODE,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_BIND,
  MPOL_DEFAULT,
  MPOL_F_ADDR,
  MPOL_F_NODE,
  MPOL_INTERLEAVE,
  MPOL_LOCAL,
  MPOL_MF_MOVE,
  MPOL_MF_MOVE_ALL,
  MPOL_MF_STRICT,
  MPOL_PREFERRED,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  ZERO_PFN,
  nodeMask,
  pmdIndex,
  type MmStruct,
  type Task,
  type UserApi,
  pageToNid,
} from "@balancenuma/include-linux";
import { NR_ANON_PAGES, NR_ISOLATED_ANON } from "@balancenuma/vmstat";
import { pmdTransHuge } from "@balancenuma/arch-x86-pgtable";
import { SLEEPER } from "@balancenuma/kernel";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
/** maxnode for a 2-node machine: get_nodes reads maxnode - 1 bits. */
const MAXNODE = 3;

type K = ReturnType<typeof bootAtStep>;

/** A 2-node machine (node 0: CPUs 0-1, node 1: CPUs 2-3) and a process on a CPU of `node`. */
function boot(node = 0, topology = "nodes=2,cpus=2,mem=64M") {
  const k = bootAtStep({ topology, debug: true, thp: "never" });
  const t = k.createProcess({ comm: "numa", cpusAllowed: node === 0 ? 0b0011n : 0b1100n });
  const u = k.userApi(t);
  return { k, t, u, mm: t.mm as MmStruct };
}

/** The pfn mapped at addr (read from the page tables), or -1. */
function pfnAt(k: K, mm: MmStruct, addr: number): number {
  const vma = k.memory.findVma(mm, addr);
  if (!vma || vma.start > addr) return -1;
  return k.memory.followPage(k, vma, addr, 0);
}

/** The node of the page mapped at addr (read from the page tables), or -1. */
function nodeAt(k: K, mm: MmStruct, addr: number): number {
  const pfn = pfnAt(k, mm, addr);
  return pfn >= 0 ? pageToNid(k.pages, pfn) : -1;
}

const nodesOfRange = (k: K, mm: MmStruct, a: number, n: number) => Array.from({ length: n }, (_, i) => nodeAt(k, mm, a + i * PAGE_SIZE));

const touch = (u: UserApi, a: number, n: number) => u.touch(a, n, PAGE_SIZE, 8, true, TOUCH_LATENCY);

/** Take every page node `nid` will give (down to its watermark), as a kernel allocation would. */
function drainNode(k: K, nid: number): void {
  while (k.pageAlloc.allocPages(k, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE, 0, nid, null) >= 0);
}

function policyAt(u: UserApi, addr: number) {
  const out = { mode: -1, nodemask: 0n };
  expect(u.getMempolicy(out, MAX_NUMNODES, addr, MPOL_F_ADDR)).toBe(0);
  return out;
}

describe("first touch under each policy", () => {
  it("default policy allocates on the faulting CPU's node", () => {
    for (const node of [0, 1]) {
      const { k, u, mm } = boot(node);
      const a = u.mmap(0, 8 * PAGE_SIZE, RW, ANON);
      expect(touch(u, a, 8)).toBe(8);
      expect(nodesOfRange(k, mm, a, 8)).toEqual(Array(8).fill(node));
    }
  });

  it("bind and preferred place pages on their node from a CPU of the other node", () => {
    const { k, u, mm } = boot(0);
    expect(u.setMempolicy(MPOL_BIND, nodeMask(1), MAXNODE)).toBe(0);
    const a = u.mmap(0, 4 * PAGE_SIZE, RW, ANON);
    expect(touch(u, a, 4)).toBe(4);
    expect(nodesOfRange(k, mm, a, 4)).toEqual([1, 1, 1, 1]);
    expect(u.setMempolicy(MPOL_PREFERRED, nodeMask(1), MAXNODE)).toBe(0);
    const b = u.mmap(0, 4 * PAGE_SIZE, RW, ANON);
    expect(touch(u, b, 4)).toBe(4);
    expect(nodesOfRange(k, mm, b, 4)).toEqual([1, 1, 1, 1]);
    k.checkInvariants();
  });

  it("interleave alternates by page offset in the mapping, whatever the touch order", () => {
    const { k, u, mm } = boot(0);
    expect(u.setMempolicy(MPOL_INTERLEAVE, nodeMask(0, 1), MAXNODE)).toBe(0);
    const a = u.mmap(0, 8 * PAGE_SIZE, RW, ANON);
    const pgoff = k.memory.findVma(mm, a)!.pgoff;
    for (const i of [5, 0, 7, 2, 1, 3, 6, 4]) expect(touch(u, a + i * PAGE_SIZE, 1)).toBe(1);
    expect(nodesOfRange(k, mm, a, 8)).toEqual(Array.from({ length: 8 }, (_, i) => (pgoff + i) % 2));
  });

  it("preferred falls back to another node when its node is full; bind does not and the touch fails", () => {
    const { k, u, mm } = boot(0, "nodes=2,cpus=2,mem=16M");
    drainNode(k, 1);
    expect(u.setMempolicy(MPOL_PREFERRED, nodeMask(1), MAXNODE)).toBe(0);
    const a = u.mmap(0, 4 * PAGE_SIZE, RW, ANON);
    expect(touch(u, a, 4)).toBe(4);
    expect(nodesOfRange(k, mm, a, 4)).toEqual([0, 0, 0, 0]);

    const { k: k2, t: t2 } = boot(0, "nodes=2,cpus=2,mem=16M");
    drainNode(k2, 1);
    const u2 = k2.userApi(t2);
    expect(u2.setMempolicy(MPOL_BIND, nodeMask(1), MAXNODE)).toBe(0);
    const b = u2.mmap(0, 4 * PAGE_SIZE, RW, ANON);
    expect(touch(u2, b, 1)).toBeLessThan(0);
    expect(nodeAt(k2, t2.mm as MmStruct, b)).toBe(-1);
  });
});

describe("get_mempolicy(MPOL_F_NODE | MPOL_F_ADDR)", () => {
  it("faults the page in for reading: never written, it is the zero page, on node 0 whatever the policy", () => {
    const { k, u, mm } = boot(0);
    const a = u.mmap(0, 4 * PAGE_SIZE, RW, ANON);
    expect(u.mbind(a, 4 * PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, 0)).toBe(0);
    expect(nodeAt(k, mm, a + PAGE_SIZE)).toBe(-1);
    const out = { mode: -1, nodemask: 0n };
    const anon = k.vm.nodeStat[1][NR_ANON_PAGES];
    expect(u.getMempolicy(out, 0, a + PAGE_SIZE + 100, MPOL_F_NODE | MPOL_F_ADDR)).toBe(0);
    expect(out.mode).toBe(0);
    expect(pfnAt(k, mm, a + PAGE_SIZE)).toBe(ZERO_PFN);
    expect(k.vm.nodeStat[1][NR_ANON_PAGES]).toBe(anon);
    // Written, the page is a real one from the policy's node.
    expect(u.touch(a + PAGE_SIZE, 1, 0, 8, true, TOUCH_LATENCY)).toBe(1);
    expect(u.getMempolicy(out, 0, a + PAGE_SIZE, MPOL_F_NODE | MPOL_F_ADDR)).toBe(0);
    expect(out.mode).toBe(1);
    expect(k.vm.nodeStat[1][NR_ANON_PAGES]).toBe(anon + 1);
    expect(u.getMempolicy(out, 0, a + 4 * PAGE_SIZE, MPOL_F_NODE | MPOL_F_ADDR)).toBe(-EFAULT);
  });
});

describe("mbind(2)", () => {
  it("sets a vma policy, splitting the vma at the range edges and merging back", () => {
    const { u, mm } = boot(0);
    const a = u.mmap(0, 10 * PAGE_SIZE, RW, ANON);
    expect(u.mbind(a + 3 * PAGE_SIZE, 4 * PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, 0)).toBe(0);
    const pieces = mm.vmas.filter((v) => v.end > a && v.start < a + 10 * PAGE_SIZE);
    expect(pieces.map((v) => [(v.start - a) / PAGE_SIZE, (v.end - a) / PAGE_SIZE])).toEqual([
      [0, 3],
      [3, 7],
      [7, 10],
    ]);
    expect(policyAt(u, a + 2 * PAGE_SIZE)).toEqual({ mode: MPOL_DEFAULT, nodemask: 0n });
    expect(policyAt(u, a + 3 * PAGE_SIZE)).toEqual({ mode: MPOL_BIND, nodemask: nodeMask(1) });
    expect(policyAt(u, a + 7 * PAGE_SIZE)).toEqual({ mode: MPOL_DEFAULT, nodemask: 0n });
    expect(u.mbind(a, 10 * PAGE_SIZE, MPOL_DEFAULT, null, 0, 0)).toBe(0);
    expect(mm.vmas.filter((v) => v.end > a && v.start < a + 10 * PAGE_SIZE).length).toBe(1);
  });

  it("returns 3.7's errnos", () => {
    const { t, u } = boot(0);
    const a = u.mmap(0, 6 * PAGE_SIZE, RW, ANON);
    expect(u.mbind(a + 1, PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, 0)).toBe(-EINVAL);
    expect(u.mbind(a, PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, 1 << 3)).toBe(-EINVAL); // no MPOL_MF_LAZY yet
    expect(u.mbind(a, PAGE_SIZE, MPOL_LOCAL, null, 0, 0)).toBe(-EINVAL);
    expect(u.mbind(a, PAGE_SIZE, MPOL_BIND, 0n, MAXNODE, 0)).toBe(-EINVAL);
    expect(u.mbind(a, PAGE_SIZE, MPOL_BIND, nodeMask(1), 0, 0)).toBe(-EINVAL); // maxnode 0 wraps
    expect(u.mbind(a, 0, MPOL_BIND, nodeMask(1), MAXNODE, 0)).toBe(0);
    expect(u.munmap(a + 2 * PAGE_SIZE, PAGE_SIZE)).toBe(0);
    expect(u.mbind(a, 6 * PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, 0)).toBe(-EFAULT);
    expect(u.mbind(a, 6 * PAGE_SIZE, MPOL_DEFAULT, null, 0, 0)).toBe(0); // default tolerates holes
    expect(u.mbind(a + 6 * PAGE_SIZE, PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, 0)).toBe(-EFAULT);
    t.cred.capEffective = 0n;
    expect(u.mbind(a, PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, MPOL_MF_MOVE_ALL)).toBe(-EPERM);
    t.cred.capEffective = 1n << BigInt(CAP_SYS_NICE);
    expect(u.mbind(a, PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, MPOL_MF_MOVE_ALL)).toBe(0);
  });

  it("MPOL_MF_MOVE migrates the misplaced pages to the new policy's node", () => {
    const { k, u, mm } = boot(0);
    const a = u.mmap(0, 8 * PAGE_SIZE, RW, ANON);
    expect(touch(u, a, 8)).toBe(8);
    expect(nodesOfRange(k, mm, a, 8)).toEqual(Array(8).fill(0));
    expect(u.mbind(a + 2 * PAGE_SIZE, 4 * PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, MPOL_MF_MOVE)).toBe(0);
    expect(nodesOfRange(k, mm, a, 8)).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
    expect(touch(u, a, 8)).toBe(8); // still mapped, still writable
    expect(k.vm.nodeStat[0][NR_ISOLATED_ANON] + k.vm.nodeStat[1][NR_ISOLATED_ANON]).toBe(0);
    k.checkInvariants();
  });

  it("MPOL_MF_STRICT alone reports misplaced pages with EIO and changes nothing", () => {
    const { k, u, mm } = boot(0);
    const a = u.mmap(0, 4 * PAGE_SIZE, RW, ANON);
    expect(touch(u, a, 4)).toBe(4);
    expect(u.mbind(a, 4 * PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, MPOL_MF_STRICT)).toBe(-EIO);
    expect(policyAt(u, a)).toEqual({ mode: MPOL_DEFAULT, nodemask: 0n });
    expect(nodesOfRange(k, mm, a, 4)).toEqual([0, 0, 0, 0]);
    // Pages already on an allowed node are fine.
    expect(u.mbind(a, 4 * PAGE_SIZE, MPOL_BIND, nodeMask(0), MAXNODE, MPOL_MF_STRICT)).toBe(0);
  });

  it("MPOL_MF_STRICT | MPOL_MF_MOVE gives EIO when pages could not be moved", () => {
    const { k, u, mm } = boot(0, "nodes=2,cpus=2,mem=16M");
    const a = u.mmap(0, 4 * PAGE_SIZE, RW, ANON);
    expect(touch(u, a, 4)).toBe(4);
    drainNode(k, 1);
    expect(u.mbind(a, 4 * PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, MPOL_MF_STRICT | MPOL_MF_MOVE)).toBe(-EIO);
    expect(nodesOfRange(k, mm, a, 4)).toEqual([0, 0, 0, 0]);
    expect(policyAt(u, a).mode).toBe(MPOL_BIND); // 3.7 sets the policy before migrating
    expect(k.vm.nodeStat[0][NR_ISOLATED_ANON]).toBe(0);
    expect(touch(u, a, 4)).toBe(4);
    k.checkInvariants();
  });

  it("shared pages move only with MPOL_MF_MOVE_ALL", () => {
    const { k, u, mm } = boot(0);
    const a = u.mmap(0, 4 * PAGE_SIZE, RW, ANON);
    expect(touch(u, a, 4)).toBe(4);
    const child = u.fork(SLEEPER);
    expect(child).toBeGreaterThan(0);
    expect(u.mbind(a, 4 * PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, MPOL_MF_MOVE)).toBe(0);
    expect(nodesOfRange(k, mm, a, 4)).toEqual([0, 0, 0, 0]);
    expect(u.mbind(a, 4 * PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, MPOL_MF_MOVE_ALL)).toBe(0);
    expect(nodesOfRange(k, mm, a, 4)).toEqual([1, 1, 1, 1]);
    const childMm = (k.tasks.get(child) as Task).mm as MmStruct;
    expect(nodesOfRange(k, childMm, a, 4)).toEqual([1, 1, 1, 1]);
    k.checkInvariants();
  });
});

describe("mbind over transparent huge pages", () => {
  it("splits the huge page and moves all of its 512 pages", () => {
    const k = bootAtStep({ topology: "nodes=2,cpus=2,mem=64M", debug: true, thp: "always" });
    const t = k.createProcess({ comm: "thp", cpusAllowed: 0b0011n });
    const u = k.userApi(t);
    const mm = t.mm as MmStruct;
    const raw = u.mmap(0, 2 * HPAGE_SIZE, RW, ANON);
    const a = Math.ceil(raw / HPAGE_SIZE) * HPAGE_SIZE;
    expect(touch(u, a, 1)).toBe(1);
    expect(pmdTransHuge(mm.pgtable.pmdFlags[pmdIndex(a)])).toBe(true);
    expect(u.mbind(a, HPAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, MPOL_MF_MOVE)).toBe(0);
    expect(pmdTransHuge(mm.pgtable.pmdFlags[pmdIndex(a)])).toBe(false);
    expect(new Set(nodesOfRange(k, mm, a, 512))).toEqual(new Set([1]));
    k.checkInvariants();
  });
});

describe("fork", () => {
  it("the child gets a copy of the task policy", () => {
    const { k, t, u } = boot(0);
    expect(u.setMempolicy(MPOL_INTERLEAVE, nodeMask(0, 1), MAXNODE)).toBe(0);
    const child = k.tasks.get(u.fork(SLEEPER)) as Task;
    expect(child.mempolicy).not.toBe(t.mempolicy);
    expect(k.mempolicy.mpolToStr(child.mempolicy)).toBe("interleave:0-1");
  });
});
