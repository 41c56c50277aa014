import { describe, it, expect } from "vitest";
import { VM_READ, VM_SHARED, VM_WRITE } from "@balancenuma/include-linux";
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
    expect("_PAGE_NUMA" in B).toBe(false);
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
    expect(P.pmdBad(B._PAGE_TABLE)).toBe(false);
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
