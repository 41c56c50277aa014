/**
 * Step 23 (mpol-mf-lazy): mbind accepts MPOL_MF_LAZY (8): the new policy gets MPOL_F_MOF and, in a
 * CONFIG_NUMA_BALANCING build (only forced at this step), the range is marked for NUMA hinting faults
 * by change_prot_numa's own walker instead of being migrated now. MPOL_NOOP now retains the existing
 * policy (with the garbage return value of defect (b) in PATCH.md).
 */
import { describe, expect, it } from "vitest";
import {
  EINVAL,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_BIND,
  MPOL_F_MOF,
  MPOL_MF_LAZY,
  MPOL_MF_MOVE,
  MPOL_NOOP,
  MPOL_PREFERRED,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_READ,
  PROT_WRITE,
  PTRS_PER_PTE,
  TOUCH_LATENCY,
  nodeMask,
  pmdIndex,
  pteIndex,
  pageToNid,
  pteOffset,
} from "@balancenuma/include-linux";
import { _PAGE_NUMA, _PAGE_PRESENT } from "@balancenuma/arch-x86-pgtable";
import { MBIND_NOOP_PTR_ERR } from "@balancenuma/mm-mempolicy";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const MAXNODE = 3;
const isNuma = (flags: number) => (flags & (_PAGE_NUMA | _PAGE_PRESENT)) === _PAGE_NUMA;

/** A process on node 0 with 8 touched pages in a pmd-aligned range; `config` forces CONFIG_NUMA_BALANCING. */
function boot(step: number, config: boolean) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true, features: config ? { CONFIG_NUMA_BALANCING: true } : {} });
  const t = k.createProcess({ comm: "lazy", cpusAllowed: 0b0011n });
  const u = k.userApi(t);
  const raw = u.mmap(0, 2 * PMD_SIZE, RW, ANON);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  u.touch(a, 8, PAGE_SIZE, 8, true, TOUCH_LATENCY);
  const pt = t.mm!.pgtable;
  const pte = (i: number) => pt.pteFlags[pteOffset(pt, a + i * PAGE_SIZE)];
  const node = (i: number) => pageToNid(k.pages, pt.ptePfn[pteOffset(pt, a + i * PAGE_SIZE)]);
  const lazy = () => u.mbind(a, 8 * PAGE_SIZE, MPOL_PREFERRED, nodeMask(1), MAXNODE, MPOL_MF_MOVE | MPOL_MF_LAZY);
  return { k, t, u, a, pt, pte, node, lazy, vma: () => k.memory.findVma(t.mm!, a)! };
}

describe("step 23: MPOL_MF_LAZY", () => {
  it("mbind accepts flag 8 at 23 (-EINVAL at 22); flag 16 stays invalid", () => {
    expect(boot(22, false).lazy()).toBe(-EINVAL);
    const s = boot(23, false);
    expect(s.lazy()).toBe(0);
    expect(s.u.mbind(s.a, PAGE_SIZE, MPOL_PREFERRED, nodeMask(1), MAXNODE, 16)).toBe(-EINVAL);
  });

  it("real build: the policy is installed with MPOL_F_MOF, nothing is marked or moved", () => {
    const s = boot(23, false);
    expect(s.lazy()).toBe(0);
    expect(s.k.mempolicy.mpolToStr(s.vma().policy)).toBe("prefer:1"); // MOF is not printed
    expect(s.vma().policy!.flags & MPOL_F_MOF).toBe(MPOL_F_MOF);
    expect([0, 7].map(s.node)).toEqual([0, 0]);
    expect(isNuma(s.pte(0))).toBe(false);
    expect(isNuma(s.pt.pmdFlags[pmdIndex(s.a)])).toBe(false);
  });

  it("config forced: the range's ptes and its pmd are marked numa, the pages stay on node 0", () => {
    const before = boot(22, true);
    expect(before.lazy()).toBe(-EINVAL);
    expect(isNuma(before.pte(0))).toBe(false);
    const s = boot(23, true);
    expect(s.lazy()).toBe(0);
    expect([0, 3, 7].map((i) => isNuma(s.pte(i)))).toEqual([true, true, true]);
    expect(isNuma(s.pt.pmdFlags[pmdIndex(s.a)])).toBe(true);
    expect([0, 7].map(s.node)).toEqual([0, 0]);
    // The marked range now takes hinting faults; mpol_misplaced names node 1 for its pages.
    s.k.current = s.t;
    expect(s.k.mempolicy.mpolMisplaced(s.k, s.pt.ptePfn[s.pt.pmdVal[pmdIndex(s.a)] * PTRS_PER_PTE + pteIndex(s.a)], s.vma(), s.a)).toBe(1);
    s.u.touch(s.a, 8, PAGE_SIZE, 8, false, TOUCH_LATENCY);
    expect(isNuma(s.pte(0))).toBe(false);
    s.k.checkInvariants();
  });

  it("config forced: a lazily bound THP is marked and, on touch, split and migrated to the policy's node", () => {
    const thp = (step: number) => {
      const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "always", debug: true, features: { CONFIG_NUMA_BALANCING: true } });
      const t = k.createProcess({ comm: "lazythp", cpusAllowed: 0b0011n });
      const u = k.userApi(t);
      const raw = u.mmap(0, 2 * PMD_SIZE, RW, ANON);
      const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
      u.touch(a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY);
      const pt = t.mm!.pgtable;
      const rc = u.mbind(a, PMD_SIZE, MPOL_PREFERRED, nodeMask(1), MAXNODE, MPOL_MF_MOVE | MPOL_MF_LAZY);
      const marked = isNuma(pt.pmdFlags[pmdIndex(a)]);
      u.touch(a, 512, PAGE_SIZE, 8, false, TOUCH_LATENCY);
      k.checkInvariants();
      const vma = k.memory.findVma(t.mm!, a)!;
      return { rc, marked, nodes: [0, 511].map((i) => pageToNid(k.pages, k.memory.followPage(k, vma, a + i * PAGE_SIZE, 0))) };
    };
    expect(thp(22)).toEqual({ rc: -EINVAL, marked: false, nodes: [0, 0] });
    expect(thp(23)).toEqual({ rc: 0, marked: true, nodes: [1, 1] });
  });

  it("MPOL_NOOP keeps the existing policy at 23 (removed like MPOL_DEFAULT at 22)", () => {
    const noop = (step: number) => {
      const s = boot(step, false);
      expect(s.u.mbind(s.a, 8 * PAGE_SIZE, MPOL_BIND, nodeMask(0), MAXNODE, 0)).toBe(0);
      const rc = s.u.mbind(s.a, 8 * PAGE_SIZE, MPOL_NOOP, null, 0, 0);
      return { rc, policy: s.k.mempolicy.mpolToStr(s.vma().policy) };
    };
    expect(noop(22)).toEqual({ rc: 0, policy: "default" });
    // mbind_range is skipped, so err keeps check_range's vma pointer (defect (b)).
    expect(noop(23)).toEqual({ rc: MBIND_NOOP_PTR_ERR, policy: "bind:0" });
  });
});
