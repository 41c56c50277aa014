/**
 * Step 16: handle_mm_fault dispatches numa entries to do_numa_page / do_pmd_numa_page /
 * do_huge_pmd_numa_page, which (at this step) only clear the hint. Config forced on, hints injected.
 */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  pmdIndex,
  type Features,
  pteOffset,
} from "@balancenuma/include-linux";
import { pmdMknuma, pmdNuma, pmdTransHuge, pteMknuma, pteNuma } from "@balancenuma/arch-x86-pgtable";
import { startMixed, TOPO } from "../testing.js";

const CONFIG: Partial<Features> = { CONFIG_NUMA_BALANCING: true };

function setup(step: number, thp: "always" | "never", features = CONFIG) {
  const k = bootAtStep({ step, topology: TOPO, thp, debug: true, features });
  const t = k.createProcess();
  const u = k.userApi(t);
  const raw = u.mmap(0, 2 * PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  u.touch(a, 8, PAGE_SIZE, 64, true, TOUCH_STREAM);
  const mm = t.mm!;
  const pt = mm.pgtable;
  const ptep = (addr: number) => pteOffset(pt, addr);
  const fault = (addr: number) => k.memory.handleMmFault(k, mm, k.memory.findVma(mm, addr)!, addr, 0);
  return { k, u, mm, pt, a, ptep, fault };
}

describe("step 16: numa-hinting-faults", () => {
  it("a fault on a numa pte clears it at 16 (at 15 nothing resolves it)", () => {
    for (const [step, cleared] of [
      [15, false],
      [16, true],
    ] as const) {
      const { k, pt, a, ptep, fault, u } = setup(step, "never");
      const pfn = pt.ptePfn[ptep(a)];
      pt.pteFlags[ptep(a)] = pteMknuma(k, pt.pteFlags[ptep(a)]);
      expect(fault(a)).toBe(0);
      expect(pteNuma(k, pt.pteFlags[ptep(a)])).toBe(!cleared);
      expect(pt.ptePfn[ptep(a)]).toBe(pfn);
      if (cleared) expect(u.touch(a, 1, PAGE_SIZE, 64, false, TOUCH_STREAM)).toBe(1); // the user access loop resolves it
      k.checkInvariants();
    }
  });

  it("a fault under a numa table pmd clears the pmd and every numa pte of its 2 MiB", () => {
    const { k, pt, a, ptep, fault } = setup(16, "never");
    for (let i = 0; i < 8; i++) pt.pteFlags[ptep(a + i * PAGE_SIZE)] = pteMknuma(k, pt.pteFlags[ptep(a + i * PAGE_SIZE)]);
    pt.pmdFlags[pmdIndex(a)] = pmdMknuma(k, pt.pmdFlags[pmdIndex(a)]);
    expect(fault(a + 5 * PAGE_SIZE)).toBe(0);
    expect(pmdNuma(k, pt.pmdFlags[pmdIndex(a)])).toBe(false);
    for (let i = 0; i < 8; i++) expect(pteNuma(k, pt.pteFlags[ptep(a + i * PAGE_SIZE)])).toBe(false);
  });

  it("a fault on a numa huge pmd makes it present again, still huge and on the same page", () => {
    const { k, pt, a, fault } = setup(16, "always");
    const i = pmdIndex(a);
    const head = pt.pmdVal[i];
    pt.pmdFlags[i] = pmdMknuma(k, pt.pmdFlags[i]);
    expect(fault(a)).toBe(0);
    expect(pmdNuma(k, pt.pmdFlags[i])).toBe(false);
    expect(pmdTransHuge(pt.pmdFlags[i])).toBe(true);
    expect(pt.pmdVal[i]).toBe(head);
  });

  it("as built (config off) runs are identical to step 15", () => {
    const fp = (step: number) => {
      const k = bootAtStep({ step, topology: TOPO, debug: true });
      startMixed(k);
      k.runFor(40e6);
      return { events: Array.from(k.vm.events), tlb: { ...k.tlb.stats }, clocks: k.cpus.map((c) => c.clock) };
    };
    expect(fp(16)).toEqual(fp(15));
  });
});
