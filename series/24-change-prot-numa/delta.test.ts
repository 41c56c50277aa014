/**
 * Step 24 (change-prot-numa): change_prot_numa becomes change_protection(..., prot_numa). With
 * CONFIG_NUMA_BALANCING forced (not buildable before step 26): every table pmd the range touches is
 * marked numa even if no pte was marked, and every THP is marked, shared or not: change_huge_pmd
 * tests the pmd after clearing it, i.e. pfn 0's never-initialised struct page, whose zeroed
 * _mapcount reads as one mapping. Each counts HPAGE_PMD_NR. A real build sees no change.
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
  pageMapcount,
  pmdIndex,
} from "@balancenuma/include-linux";
import { _PAGE_NUMA, _PAGE_PRESENT, pmdTransHuge } from "@balancenuma/arch-x86-pgtable";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const MAXNODE = 3;
const isNuma = (flags: number) => (flags & (_PAGE_NUMA | _PAGE_PRESENT)) === _PAGE_NUMA;

function boot(step: number, thp: "always" | "never", config = true) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp, debug: true, features: config ? { CONFIG_NUMA_BALANCING: true } : {} });
  const t = k.createProcess({ comm: "protnuma", cpusAllowed: 0b0011n });
  const u = k.userApi(t);
  const raw = u.mmap(0, 3 * PMD_SIZE, RW, ANON);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  const pmd = () => t.mm!.pgtable.pmdFlags[pmdIndex(a)];
  const lazy = (from: number, pages: number) =>
    u.mbind(a + from * PAGE_SIZE, pages * PAGE_SIZE, MPOL_PREFERRED, nodeMask(1), MAXNODE, MPOL_MF_MOVE | MPOL_MF_LAZY);
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

  it("a THP mapped by two processes is skipped at 23 and marked at 24, through pfn 0's zeroed struct page", () => {
    for (const [step, marked] of [
      [23, false],
      [24, true],
    ] as const) {
      const s = boot(step, "always");
      s.u.touch(s.a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY);
      expect(pmdTransHuge(s.pmd())).toBe(true);
      s.u.fork({ run: (u) => u.sleep(1e12) }); // the child maps the THP too
      expect(pageMapcount(s.k.pages, s.t.mm!.pgtable.pmdVal[pmdIndex(s.a)])).toBe(2);
      expect(s.lazy(0, 512)).toBe(0);
      expect(isNuma(s.pmd())).toBe(marked);
    }
  });

  it("at 24 the huge pmd's marking follows pfn 0's page state, and counts 512 either way", () => {
    const s = boot(24, "always");
    s.u.touch(s.a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    const vma = s.k.memory.findVma(s.t.mm!, s.a)!;
    expect(pageMapcount(s.k.pages, 0)).toBe(1); // nothing initialised it
    expect(s.k.mempolicy.changeProtNuma(s.k, vma, s.a, s.a + PMD_SIZE)).toBe(512);
    expect(isNuma(s.pmd())).toBe(true);
    // Had memmap_init_zone covered pfn 0 (_mapcount -1), the same code would leave the pmd alone.
    const t = boot(24, "always");
    t.u.touch(t.a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    t.k.pages._mapcount[0] = -1;
    const before = t.pmd();
    expect(t.k.mempolicy.changeProtNuma(t.k, t.k.memory.findVma(t.t.mm!, t.a)!, t.a, t.a + PMD_SIZE)).toBe(512);
    expect(t.pmd()).toBe(before);
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
