/**
 * Step 24 (change-prot-numa): change_prot_numa becomes change_protection(..., prot_numa). With
 * CONFIG_NUMA_BALANCING forced (not buildable before step 26): every table pmd the range touches is
 * marked numa even if no pte was marked, and THPs are no longer marked (change_huge_pmd tests the
 * pmd after clearing it) although each still counts HPAGE_PMD_NR. A real build sees no change.
 */
import { describe, expect, it } from "vitest";
import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_MF_LAZY,
  MPOL_MF_MOVE,
  MPOL_PREFERRED,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  nodeMask,
  pmdIndex,
} from "@balancenuma/include-linux";
import { _PAGE_NUMA, _PAGE_PRESENT, pmdTransHuge } from "@balancenuma/arch-x86-pgtable";
import { bootKernel } from "@balancenuma/kernel";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const MAXNODE = 3;
const isNuma = (flags: number) => (flags & (_PAGE_NUMA | _PAGE_PRESENT)) === _PAGE_NUMA;

function boot(step: number, thp: "always" | "never", config = true) {
  const k = bootKernel({ step, topology: "nodes=2,cpus=2,mem=128M", thp, debug: true, features: config ? { CONFIG_NUMA_BALANCING: true } : {} });
  const t = k.createProcess({ comm: "protnuma", cpusAllowed: 0b0011n });
  const u = k.userApi(t);
  const raw = u.mmap(0, 3 * PMD_SIZE, RW, ANON);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  const pmd = () => t.mm!.pgtable.pmdFlags[pmdIndex(a)];
  const lazy = (from: number, pages: number) => u.mbind(a + from * PAGE_SIZE, pages * PAGE_SIZE, MPOL_PREFERRED, nodeMask(1), MAXNODE, MPOL_MF_MOVE | MPOL_MF_LAZY);
  return { k, t, u, a, pmd, lazy };
}

describe("step 24: change_prot_numa through change_protection", () => {
  it("a pmd whose ptes in the range are all empty is marked at 24, not at 23", () => {
    for (const [step, marked] of [
      [23, false],
      [24, true],
    ] as const) {
      const s = boot(step, "never");
      s.u.touch(s.a, 4, PAGE_SIZE, 8, true, TOUCH_LATENCY); // pages 0-3
      expect(s.lazy(4, 4)).toBe(0); // pages 4-7: none ptes
      expect(isNuma(s.pmd())).toBe(marked);
    }
  });

  it("a THP is marked numa at 23 and left as it was at 24", () => {
    const at23 = boot(23, "always");
    at23.u.touch(at23.a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    expect(pmdTransHuge(at23.pmd())).toBe(true);
    expect(at23.lazy(0, 512)).toBe(0);
    expect(isNuma(at23.pmd())).toBe(true);

    const at24 = boot(24, "always");
    at24.u.touch(at24.a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    const before = at24.pmd();
    expect(pmdTransHuge(before)).toBe(true);
    expect(at24.lazy(0, 512)).toBe(0);
    expect(at24.pmd()).toBe(before);
    // ... yet change_prot_numa counts it.
    const vma = at24.k.memory.findVma(at24.t.mm!, at24.a)!;
    expect(at24.k.mempolicy.changeProtNuma(at24.k, vma, at24.a, at24.a + PMD_SIZE)).toBe(512);
  });

  it("a real build (config off) sees nothing new: change_prot_numa is the 0 stub", () => {
    for (const step of [23, 24]) {
      const s = boot(step, "never", false);
      s.u.touch(s.a, 4, PAGE_SIZE, 8, true, TOUCH_LATENCY);
      expect(s.lazy(0, 8)).toBe(0);
      expect(isNuma(s.pmd())).toBe(false);
      const vma = s.k.memory.findVma(s.t.mm!, s.a)!;
      expect(s.k.mempolicy.changeProtNuma(s.k, vma, s.a, s.a + 8 * PAGE_SIZE)).toBe(0);
    }
  });
});
