import { describe, it, expect } from "vitest";
import { BASELINE_FEATURES, VM_READ, VM_SHARED, VM_WRITE, type Features } from "@balancenuma/include-linux";
import * as B from "./pgtable-types.js";
import * as P from "./pgtable.js";
import { gupFastPteOk } from "./gup.js";

describe("x86 pte bits", () => {
  it("have the kernel's values and fit a Uint16Array", () => {
    expect([B._PAGE_PRESENT, B._PAGE_RW, B._PAGE_USER, B._PAGE_PWT, B._PAGE_PCD]).toEqual([0x1, 0x2, 0x4, 0x8, 0x10]);
    expect([B._PAGE_ACCESSED, B._PAGE_DIRTY, B._PAGE_PSE, B._PAGE_GLOBAL]).toEqual([0x20, 0x40, 0x80, 0x100]);
    expect(B._PAGE_PROTNONE).toBe(B._PAGE_GLOBAL);
    expect(B._PAGE_SPECIAL).toBe(0x200);
    expect(B._PAGE_SPLITTING).toBe(0x200);
    expect(B._PAGE_MIGRATION).toBe(0x400);
    for (const v of Object.values(B)) if (typeof v === "number") expect(v).toBeLessThan(0x10000);
    expect(B._PAGE_NUMA).toBe(B._PAGE_PROTNONE);
    expect(B._PAGE_NUMA).toBe(0x100);
  });
});

describe("pte predicates", () => {
  const rw = B._PAGE_PRESENT | B._PAGE_RW | B._PAGE_USER;
  it("PROT_NONE ptes are present but not accessible", () => {
    expect(P.ptePresent(B._PAGE_PROTNONE)).toBe(true);
    expect(P.pteAccessible(B._PAGE_PROTNONE)).toBe(false);
    expect(P.pteAccessible(rw)).toBe(true);
    expect(P.ptePresent(0)).toBe(false);
    expect(P.pteNone(0)).toBe(true);
  });
  it("a migration entry is neither none nor present and remembers write", () => {
    const e = P.makeMigrationEntry(true);
    expect(P.pteNone(e) || P.ptePresent(e)).toBe(false);
    expect(P.isMigrationEntry(e) && P.isWriteMigrationEntry(e)).toBe(true);
    expect(P.isWriteMigrationEntry(P.makeMigrationEntry(false))).toBe(false);
    expect(P.isMigrationEntry(rw | B._PAGE_MIGRATION)).toBe(false);
  });
  it("modifiers set and clear one bit each", () => {
    expect(P.pteWrite(P.pteMkwrite(B._PAGE_PRESENT))).toBe(true);
    expect(P.pteWrite(P.pteWrprotect(rw))).toBe(false);
    expect(P.pteYoung(P.pteMkold(P.pteMkyoung(rw)))).toBe(false);
    expect(P.pteDirty(P.pteMkdirty(rw))).toBe(true);
    expect(P.pteModify(rw | B._PAGE_DIRTY | B._PAGE_ACCESSED, B.PAGE_NONE)).toBe(B._PAGE_PROTNONE | B._PAGE_ACCESSED | B._PAGE_DIRTY);
  });
  it("pmd predicates", () => {
    expect(P.pmdBad({ features: BASELINE_FEATURES }, B._PAGE_TABLE)).toBe(false);
    expect(P.pmdNone(0) && !P.pmdPresent(0)).toBe(true);
    const huge = P.pmdMkhuge(B.PAGE_COPY);
    expect(P.pmdTransHuge(huge) && P.pmdPresent(huge)).toBe(true);
    expect(P.pmdTransSplitting(P.pmdMksplitting(huge))).toBe(true);
    expect(P.pmdWrite(P.pmdWrprotect(P.pmdMkwrite(huge)))).toBe(false);
  });
  it("gup_fast wants PRESENT|USER (+RW to write)", () => {
    expect(gupFastPteOk(rw, true)).toBe(true);
    expect(gupFastPteOk(B.PAGE_COPY, true)).toBe(false);
    expect(gupFastPteOk(B.PAGE_NONE, false)).toBe(false);
  });
});

describe("vm_get_page_prot", () => {
  it("maps private writable memory read-only (writes go through the fault path)", () => {
    expect(B.vmGetPageProt(VM_READ | VM_WRITE) & B._PAGE_RW).toBe(0);
    expect(B.vmGetPageProt(VM_READ | VM_WRITE | VM_SHARED) & B._PAGE_RW).toBe(B._PAGE_RW);
    expect(B.vmGetPageProt(VM_READ) & B._PAGE_PRESENT).toBe(B._PAGE_PRESENT);
  });
  it("gives PROT_NONE vmas _PAGE_PROTNONE without PRESENT", () => {
    const p = B.vmGetPageProt(0);
    expect(p & B._PAGE_PROTNONE).toBe(B._PAGE_PROTNONE);
    expect(p & B._PAGE_PRESENT).toBe(0);
  });
});

describe("pte_numa helpers (step 13)", () => {
  const build = (f: Partial<Features>) => ({ features: { ...BASELINE_FEATURES, ...f } });
  const live = build({ pageNumaDefined: true, pteNumaHelpers: true, CONFIG_NUMA_BALANCING: true });
  const asBuilt = build({ pageNumaDefined: true, pteNumaHelpers: true });
  const pte = B.PAGE_COPY | B._PAGE_RW | B._PAGE_DIRTY;

  it("mknuma clears PRESENT and sets bit 8, keeping every other bit", () => {
    const n = P.pteMknuma(live, pte);
    expect(n).toBe((pte & ~B._PAGE_PRESENT) | 0x100);
    expect(P.pteNuma(live, n)).toBe(true);
    expect(P.ptePresent(n)).toBe(true);
    expect(P.pteAccessible(n)).toBe(false);
    expect(P.pteNuma(live, pte)).toBe(false);
  });
  it("mknonnuma makes it present and accessed", () => {
    const old = P.pteMkold(pte);
    expect(P.pteMknonnuma(live, P.pteMknuma(live, old))).toBe(old | B._PAGE_ACCESSED);
    const pmd = B._PAGE_TABLE;
    expect(P.pmdNuma(live, P.pmdMknuma(live, pmd))).toBe(true);
    expect(P.pmdMknonnuma(live, P.pmdMknuma(live, pmd))).toBe(pmd);
    expect(P.pmdPresent(P.pmdMknuma(live, pmd))).toBe(true);
  });
  it("without CONFIG_NUMA_BALANCING (or before step 13) pte_numa is 0 and the mk helpers return their argument", () => {
    for (const k of [asBuilt, build({ pageNumaDefined: true, CONFIG_NUMA_BALANCING: true }), build({})]) {
      expect(P.pteMknuma(k, pte)).toBe(pte);
      expect(P.pmdMknuma(k, B._PAGE_TABLE)).toBe(B._PAGE_TABLE);
      expect(P.pteMknonnuma(k, B.PAGE_NONE)).toBe(B.PAGE_NONE);
      expect(P.pmdMknonnuma(k, B.PAGE_NONE)).toBe(B.PAGE_NONE);
      expect(P.pteNuma(k, B.PAGE_NONE)).toBe(false);
      expect(P.pmdNuma(k, B.PAGE_NONE)).toBe(false);
    }
  });
  it("pmd_bad accepts a numa table pmd only in a CONFIG_NUMA_BALANCING build", () => {
    const numaPmd = (B._PAGE_TABLE & ~B._PAGE_PRESENT) | B._PAGE_NUMA;
    expect(P.pmdBad(live, numaPmd)).toBe(false);
    expect(P.pmdBad(asBuilt, numaPmd)).toBe(true);
    expect(P.pmdBad(live, B._PAGE_TABLE)).toBe(false);
    expect(P.pmdBad(live, B.PAGE_COPY)).toBe(true);
  });
  it("_PAGE_NUMA is in this kernel's header from step 12", () => {
    expect(B.pageNumaBit(build({}))).toBe(0);
    expect(B.pageNumaBit(build({ pageNumaDefined: true }))).toBe(0x100);
  });
});
