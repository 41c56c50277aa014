/**
 * Step 31 (migrate-on-reference): tasks without a policy get preferred_node_policy[their CPU's node]
 * = MPOL_PREFERRED + MPOL_F_MOF | MPOL_F_MORON, so a hinting fault on a page away from the faulting
 * CPU's node asks to move it there; /proc/PID/numa_maps shows "prefer:<reader's node>" instead of
 * "default" for vmas without a policy.
 */
import { describe, expect, it } from "vitest";
import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_F_MOF,
  MPOL_F_MORON,
  MPOL_PREFERRED,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  pmdIndex,
  pageToNid,
  pteOffset,
} from "@balancenuma/include-linux";
import { pmdMknonnuma } from "@balancenuma/arch-x86-pgtable";
import { numaMapsPolicy } from "@balancenuma/mm-mempolicy";
import { NUMA_PAGE_MIGRATE } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

/** A policy-less process that touched 4 pages on node 0 and now runs on node 1. */
function boot(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
  const t = k.createProcess({ comm: "mor", cpusAllowed: 0b0011n });
  const u = k.userApi(t);
  const raw = u.mmap(0, 2 * PMD_SIZE, RW, ANON);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  u.touch(a, 4, PAGE_SIZE, 8, true, TOUCH_LATENCY);
  expect(u.schedSetaffinity(0, 0b1100n)).toBe(0);
  const vma = k.memory.findVma(t.mm!, a)!;
  const pt = t.mm!.pgtable;
  const pfn = (i: number) => pt.ptePfn[pteOffset(pt, a + i * PAGE_SIZE)];
  return { k, t, a, vma, pt, pfn, u: k.userApi(t) };
}

describe("step 31: migrate on reference by default", () => {
  it("the default task policy is MPOL_PREFERRED on the CPU's node with MOF | MORON (default_policy at 30)", () => {
    const before = boot(30);
    expect(before.k.mempolicy.getVmaPolicy(before.k, before.t, before.vma, before.a)).toBe(before.k.mempolicy.defaultPolicy);
    const s = boot(31);
    s.k.currentCpu = 2; // node 1
    const pol = s.k.mempolicy.getVmaPolicy(s.k, s.t, s.vma, s.a);
    expect([pol.mode, pol.flags, pol.preferredNode]).toEqual([MPOL_PREFERRED, MPOL_F_MOF | MPOL_F_MORON, 1]);
  });

  it("mpol_misplaced names the faulting CPU's node for a policy-less task's page", () => {
    for (const [step, target] of [
      [30, -1],
      [31, 1],
    ] as const) {
      const s = boot(step);
      s.k.current = s.t;
      s.k.currentCpu = 2; // node 1
      expect(s.k.mempolicy.mpolMisplaced(s.k, s.pfn(0), s.vma, s.a)).toBe(target);
      s.k.currentCpu = 0; // node 0, where the page is
      expect(s.k.mempolicy.mpolMisplaced(s.k, s.pfn(0), s.vma, s.a)).toBe(-1);
    }
  });

  it("a pte hinting fault from node 1 moves the page there at 31, not at 30", () => {
    for (const [step, migrated] of [
      [30, 0],
      [31, 4],
    ] as const) {
      const s = boot(step);
      expect(s.k.mempolicy.changeProtNuma(s.k, s.vma, s.a, s.a + 4 * PAGE_SIZE)).toBe(4);
      // Take the pmd hint off so each pte faults on its own (do_numa_page; the pmd path migrates
      // only from step 32).
      const idx = pmdIndex(s.a);
      s.pt.pmdFlags[idx] = pmdMknonnuma(s.k, s.pt.pmdFlags[idx]);
      expect(s.u.getcpu().node).toBe(1);
      s.u.touch(s.a, 4, PAGE_SIZE, 8, false, TOUCH_LATENCY);
      expect(s.k.vm.events[NUMA_PAGE_MIGRATE]).toBe(migrated);
      expect([0, 3].map((i) => pageToNid(s.k.pages, s.pfn(i)))).toEqual(migrated ? [1, 1] : [0, 0]);
      s.k.checkInvariants();
    }
  });

  it("numa_maps shows prefer:<node of the reading CPU> for vmas without a policy", () => {
    const before = boot(30);
    expect(numaMapsPolicy(before.k, before.t, before.vma, 0)).toBe("default");
    const s = boot(31);
    expect(numaMapsPolicy(s.k, s.t, s.vma, 0)).toBe("prefer:0");
    expect(numaMapsPolicy(s.k, s.t, s.vma, 3)).toBe("prefer:1");
  });
});
