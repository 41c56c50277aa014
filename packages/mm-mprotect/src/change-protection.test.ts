import { describe, it, expect } from "vitest";
import {
  BASELINE_FEATURES,
  PAGE_SIZE,
  PMD_SIZE,
  PTRS_PER_PTE,
  PageTable,
  USER_BASE,
  VM_READ,
  VM_WRITE,
  pmdIndex,
  pteIndex,
  type Features,
  type Kernel,
  type Vma,
} from "@balancenuma/include-linux";
import {
  PAGE_COPY,
  PAGE_NONE,
  _PAGE_ACCESSED,
  _PAGE_DIRTY,
  _PAGE_PRESENT,
  _PAGE_PROTNONE,
  _PAGE_PSE,
  _PAGE_RW,
  _PAGE_TABLE,
  _PAGE_USER,
  isWriteMigrationEntry,
  isMigrationEntry,
  makeMigrationEntry,
} from "@balancenuma/arch-x86-pgtable";
import { changeProtection } from "./change-protection.js";

/**
 * A hand-made kernel with one mm's page tables: pte pages and huge pmds are filled in directly, the
 * TLB and THP ops record their calls. (The booted kernel is exercised in mprotect.test.ts.)
 */
function setup(features: Partial<Features> = {}) {
  const flushes: [number, number][] = [];
  const hugeCalls: string[] = [];
  const pt = new PageTable();
  const mm = { pgtable: pt };
  let charged = 0;
  const k = {
    features: { ...BASELINE_FEATURES, ...features },
    cost: { pteUpdateNs: 10 },
    charge: (ns: number) => (charged += ns),
    tlb: { flushTlbRange: (_k: Kernel, _mm: unknown, s: number, e: number) => flushes.push([s, e]) },
    hugeMemory: {
      changeHugePmd(_k: Kernel, _vma: Vma, idx: number, newprot: number) {
        hugeCalls.push(`change ${idx}`);
        pt.pmdFlags[idx] = (pt.pmdFlags[idx] & (_PAGE_PSE | _PAGE_DIRTY | _PAGE_ACCESSED)) | (newprot & ~(_PAGE_DIRTY | _PAGE_ACCESSED));
        return 1;
      },
      splitHugePagePmd(_k: Kernel, _vma: Vma, idx: number) {
        hugeCalls.push(`split ${idx}`);
        const head = pt.pmdVal[idx];
        const flags = (pt.pmdFlags[idx] & ~_PAGE_PSE) | _PAGE_PRESENT;
        const slot = pt.allocSlot(0);
        for (let i = 0; i < PTRS_PER_PTE; i++) {
          pt.pteFlags[slot * PTRS_PER_PTE + i] = flags;
          pt.ptePfn[slot * PTRS_PER_PTE + i] = head + i;
        }
        pt.pmdFlags[idx] = _PAGE_TABLE;
        pt.pmdVal[idx] = slot;
      },
    },
  } as unknown as Kernel;
  const vma = (start: number, end: number, flags = VM_READ | VM_WRITE) => ({ mm, start, end, flags, pgoff: 0, policy: null, anonVma: null }) as unknown as Vma;
  /** Map a 4K page at addr with pte flags. */
  const mapPte = (addr: number, flags: number, pfn = 7) => {
    const idx = pmdIndex(addr);
    pt.ensurePmd(idx);
    if (pt.pmdFlags[idx] === 0) {
      pt.pmdVal[idx] = pt.allocSlot(0);
      pt.pmdFlags[idx] = _PAGE_TABLE;
    }
    const i = pt.pmdVal[idx] * PTRS_PER_PTE + pteIndex(addr);
    pt.pteFlags[i] = flags;
    pt.ptePfn[i] = pfn;
    return i;
  };
  const mapHuge = (addr: number, flags: number) => {
    const idx = pmdIndex(addr);
    pt.ensurePmd(idx);
    pt.pmdFlags[idx] = flags | _PAGE_PSE;
    pt.pmdVal[idx] = 1024;
    return idx;
  };
  return { k, pt, vma, mapPte, mapHuge, flushes, hugeCalls, charged: () => charged };
}

const RW = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED;
const BASE = USER_BASE + 8 * PMD_SIZE;

describe("change_protection", () => {
  it("rewrites present ptes to the new protection, keeping pfn, dirty and accessed", () => {
    const { k, pt, vma, mapPte, charged } = setup();
    const v = vma(BASE, BASE + 10 * PAGE_SIZE, VM_READ);
    const a = mapPte(BASE, RW | _PAGE_DIRTY, 42);
    const b = mapPte(BASE + 3 * PAGE_SIZE, RW, 43);
    changeProtection(k, v, v.start, v.end, VM_READ, false, false);
    expect(pt.pteFlags[a]).toBe(PAGE_COPY | _PAGE_DIRTY);
    expect(pt.pteFlags[b]).toBe(PAGE_COPY);
    expect(pt.ptePfn[a]).toBe(42);
    expect(charged()).toBe(20); // pteUpdateNs for each of the two ptes
    changeProtection(k, v, v.start, v.end, 0, false, false);
    expect(pt.pteFlags[a]).toBe(PAGE_NONE | _PAGE_DIRTY);
    expect(pt.pteFlags[a] & _PAGE_PRESENT).toBe(0);
    expect(pt.pteFlags[a] & _PAGE_PROTNONE).not.toBe(0);
    // PROT_NONE ptes still hold their page and come back with the protection.
    changeProtection(k, v, v.start, v.end, VM_READ, false, false);
    expect(pt.pteFlags[a]).toBe(PAGE_COPY | _PAGE_DIRTY);
  });

  it("only the range is changed", () => {
    const { k, pt, vma, mapPte } = setup();
    const v = vma(BASE, BASE + 10 * PAGE_SIZE);
    const a = mapPte(BASE, RW);
    const b = mapPte(BASE + 5 * PAGE_SIZE, RW);
    changeProtection(k, v, BASE + PAGE_SIZE, BASE + 6 * PAGE_SIZE, VM_READ, false, false);
    expect(pt.pteFlags[a]).toBe(RW);
    expect(pt.pteFlags[b]).toBe(PAGE_COPY);
  });

  it("dirty_accountable keeps dirty ptes writable", () => {
    const { k, pt, vma, mapPte } = setup();
    const v = vma(BASE, BASE + 2 * PAGE_SIZE);
    const a = mapPte(BASE, RW | _PAGE_DIRTY);
    const b = mapPte(BASE + PAGE_SIZE, RW);
    changeProtection(k, v, v.start, v.end, VM_READ | VM_WRITE, true, false);
    expect(pt.pteFlags[a] & _PAGE_RW).toBe(_PAGE_RW);
    expect(pt.pteFlags[b] & _PAGE_RW).toBe(0);
  });

  it("downgrades write migration entries to read ones", () => {
    const { k, pt, vma, mapPte } = setup();
    const v = vma(BASE, BASE + 2 * PAGE_SIZE);
    const a = mapPte(BASE, makeMigrationEntry(true), 99);
    changeProtection(k, v, v.start, v.end, VM_READ, false, false);
    expect(isMigrationEntry(pt.pteFlags[a])).toBe(true);
    expect(isWriteMigrationEntry(pt.pteFlags[a])).toBe(false);
    expect(pt.ptePfn[a]).toBe(99);
  });

  it("a fully covered huge pmd goes to change_huge_pmd, a partly covered one is split first", () => {
    const { k, pt, vma, mapHuge, hugeCalls } = setup();
    const v = vma(BASE, BASE + 2 * PMD_SIZE);
    const i0 = mapHuge(BASE, RW);
    const i1 = mapHuge(BASE + PMD_SIZE, RW);
    changeProtection(k, v, BASE, BASE + PMD_SIZE + 4 * PAGE_SIZE, VM_READ, false, false);
    expect(hugeCalls).toEqual([`change ${i0}`, `split ${i1}`]);
    expect(pt.pmdFlags[i0] & _PAGE_RW).toBe(0);
    const slot = pt.pmdVal[i1];
    expect(pt.pteFlags[slot * PTRS_PER_PTE + 3]).toBe(PAGE_COPY);
    expect(pt.pteFlags[slot * PTRS_PER_PTE + 4]).toBe(RW);
  });
});

describe("change_protection count (step 07) and flush (step 08)", () => {
  it("returns 0 at 3.7-rc6, whatever it changed", () => {
    const { k, vma, mapPte } = setup();
    const v = vma(BASE, BASE + 10 * PAGE_SIZE);
    mapPte(BASE, RW);
    expect(changeProtection(k, v, v.start, v.end, VM_READ, false, false)).toBe(0);
  });

  it("with the count: populated ptes and migration entries count, none ptes do not; a covered THP counts 512", () => {
    const on = { changeProtectionCounts: true };
    const s = setup(on);
    const v = s.vma(BASE, BASE + 10 * PAGE_SIZE);
    s.mapPte(BASE, RW);
    s.mapPte(BASE + 4 * PAGE_SIZE, RW);
    s.mapPte(BASE + 9 * PAGE_SIZE, RW);
    expect(changeProtection(s.k, v, v.start, v.end, VM_READ, false, false)).toBe(3);
    // Same protection again: still counted (the count does not compare values).
    expect(changeProtection(s.k, v, v.start, v.end, VM_READ, false, false)).toBe(3);
    s.mapPte(BASE + 5 * PAGE_SIZE, makeMigrationEntry(false));
    expect(changeProtection(s.k, v, v.start, v.end, VM_READ, false, false)).toBe(4);

    const h = setup(on);
    const hv = h.vma(BASE, BASE + PMD_SIZE);
    h.mapHuge(BASE, RW);
    expect(changeProtection(h.k, hv, hv.start, hv.end, VM_READ, false, false)).toBe(512);
  });

  it("baseline flushes the range always; step 08 only when entries changed", () => {
    for (const [features, freshFlushes] of [
      [{}, 1],
      [{ changeProtectionCounts: true }, 1],
      [{ changeProtectionCounts: true, changeProtectionFlushIfChanged: true }, 0],
    ] as const) {
      const s = setup(features);
      const v = s.vma(BASE, BASE + 10 * PAGE_SIZE);
      changeProtection(s.k, v, v.start, v.end, VM_READ, false, false);
      expect(s.flushes.length, JSON.stringify(features)).toBe(freshFlushes);
      s.mapPte(BASE + PAGE_SIZE, RW);
      changeProtection(s.k, v, v.start, v.end, VM_READ | VM_WRITE, false, false);
      expect(s.flushes.length, JSON.stringify(features)).toBe(freshFlushes + 1);
      expect(s.flushes.at(-1)).toEqual([v.start, v.end]);
    }
  });
});
