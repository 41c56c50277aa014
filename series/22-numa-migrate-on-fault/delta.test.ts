/**
 * Step 22: hinting faults ask mpol_misplaced and migrate a misplaced page; a misplaced THP is split
 * (its 512 ptes keep the hint, step 15) and its pages then migrate one 4K fault at a time. Config
 * forced on; the task's policy is given MPOL_F_MOF by hand (the scanner and MPOL_MF_LAZY that
 * would do that in a real run are later steps or compiled out).
 */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import {
  HPAGE_PMD_NR,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_F_MOF,
  MPOL_PREFERRED,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  nodeMask,
  pmdIndex,
  pteIndex,
  pteOffset,
  pageToNid,
} from "@balancenuma/include-linux";
import { pmdMknuma, pmdTransHuge, pteMknuma, pteNuma } from "@balancenuma/arch-x86-pgtable";
import { PGMIGRATE_SUCCESS, THP_SPLIT } from "@balancenuma/vmstat";
import { startMixed, TOPO } from "../testing.js";

/** A task on node 0 with 8 pages (or one THP) on node 0 and a MOF policy preferring node 1. */
function setup(step: number, thp: "always" | "never", config = true) {
  const k = bootAtStep({ step, topology: TOPO, thp, debug: true, features: { CONFIG_NUMA_BALANCING: config } });
  const t = k.createProcess({ cpusAllowed: 1n });
  const u = k.userApi(t);
  const raw = u.mmap(0, 2 * PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  expect(u.touch(a, 8, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(8);
  expect(u.setMempolicy(MPOL_PREFERRED, nodeMask(1), 64)).toBe(0);
  t.mempolicy!.flags |= MPOL_F_MOF;
  const pt = t.mm!.pgtable;
  const ptep = (addr: number) => pteOffset(pt, addr);
  const nodeOf = (addr: number) =>
    pageToNid(k.pages, pmdTransHuge(pt.pmdFlags[pmdIndex(addr)]) ? pt.pmdVal[pmdIndex(addr)] + pteIndex(addr) : pt.ptePfn[ptep(addr)]);
  return { k, u, pt, a, ptep, nodeOf };
}

describe("step 22: numa-migrate-on-fault", () => {
  it("a hinting fault on a misplaced page migrates it at 22 (at 21 it only clears the hint)", () => {
    for (const [step, node] of [
      [21, 0],
      [22, 1],
    ] as const) {
      const { k, u, pt, a, ptep, nodeOf } = setup(step, "never");
      pt.pteFlags[ptep(a)] = pteMknuma(k, pt.pteFlags[ptep(a)]);
      expect(u.touch(a, 1, PAGE_SIZE, 64, false, TOUCH_STREAM)).toBe(1);
      expect(pteNuma(k, pt.pteFlags[ptep(a)])).toBe(false);
      expect(nodeOf(a)).toBe(node);
      expect(nodeOf(a + PAGE_SIZE)).toBe(0); // not hinted: not touched by the policy
      expect(k.vm.events[PGMIGRATE_SUCCESS]).toBe(node);
      k.checkInvariants();
    }
  });

  it("a misplaced numa THP is split at 22 and only the touched 4K page migrates; at 21 the pmd is just cleared", () => {
    const s21 = setup(21, "always");
    s21.pt.pmdFlags[pmdIndex(s21.a)] = pmdMknuma(s21.k, s21.pt.pmdFlags[pmdIndex(s21.a)]);
    expect(s21.u.touch(s21.a + 3 * PAGE_SIZE, 1, PAGE_SIZE, 64, false, TOUCH_STREAM)).toBe(1);
    expect(pmdTransHuge(s21.pt.pmdFlags[pmdIndex(s21.a)])).toBe(true);
    expect(s21.k.vm.events[THP_SPLIT]).toBe(0);

    const { k, u, pt, a, ptep, nodeOf } = setup(22, "always");
    pt.pmdFlags[pmdIndex(a)] = pmdMknuma(k, pt.pmdFlags[pmdIndex(a)]);
    expect(u.touch(a + 3 * PAGE_SIZE, 1, PAGE_SIZE, 64, false, TOUCH_STREAM)).toBe(1);
    expect(k.vm.events[THP_SPLIT]).toBe(1);
    expect(nodeOf(a + 3 * PAGE_SIZE)).toBe(1);
    expect(k.vm.events[PGMIGRATE_SUCCESS]).toBe(1);
    let hinted = 0;
    for (let i = 0; i < HPAGE_PMD_NR; i++) if (pteNuma(k, pt.pteFlags[ptep(a + i * PAGE_SIZE)])) hinted++;
    expect(hinted).toBe(HPAGE_PMD_NR - 1);
    expect(nodeOf(a + 4 * PAGE_SIZE)).toBe(0);
    k.checkInvariants();
  });

  it("as built (config off) runs are identical to step 21", () => {
    const fp = (step: number) => {
      const k = bootAtStep({ step, topology: TOPO, debug: true });
      startMixed(k);
      k.runFor(40e6);
      return { events: Array.from(k.vm.events), tlb: { ...k.tlb.stats }, clocks: k.cpus.map((c) => c.clock) };
    };
    expect(fp(22)).toEqual(fp(21));
  });
});
