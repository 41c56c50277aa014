/** NUMA hinting faults in mm/memory.c (steps 14-44), with injected hint entries in a fake kernel. */
import { describe, it, expect } from "vitest";
import {
  FOLL_FORCE,
  FOLL_NUMA,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  NUMA_PTE_SCAN_INIT,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  pmdIndex,
  type Features,
  type MmStruct,
  type Task,
  pteOffset,
} from "@balancenuma/include-linux";
import {
  PAGE_COPY,
  _PAGE_ACCESSED,
  _PAGE_DIRTY,
  _PAGE_PRESENT,
  pmdMknuma,
  pmdNuma,
  pteMknuma,
  pteNuma,
  type FlushTlbFixSpuriousFault,
} from "@balancenuma/arch-x86-pgtable";
import { genericPtepSetAccessFlags } from "@balancenuma/mm-memory";
import { NUMA_HINT_FAULTS, NUMA_HINT_FAULTS_LOCAL } from "@balancenuma/vmstat";
import { testbed, type Testbed } from "./testbed.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

// The gates of each step, config forced on (steps 13-25 are compiled out on real builds).
const S16: Partial<Features> = {
  CONFIG_NUMA_BALANCING: true,
  pageNumaDefined: true,
  pteNumaHelpers: true,
  follNuma: true,
  splitHugePageKeepsNuma: true,
  numaHintingFaults: true,
};
const S22: Partial<Features> = { ...S16, mpolMisplaced: true, migrateMisplacedPage: "drops-reference", numaFaultMigrates: true };
const S26: Partial<Features> = { ...S22, numaScanner: "whole-address-space" };
const S30: Partial<Features> = { ...S26, numaVmstat: true };
const S32: Partial<Features> = { ...S30, pmdNumaMigrate: true };
const S41: Partial<Features> = { ...S32, scanPeriodGrowth: "non-migrating" };

/** A 2 MiB-aligned anonymous area of `pages` pages, faulted in from CPU 0 (node 0). */
function setup(features: Partial<Features>, pages = 8) {
  const k = testbed({ features, thp: "never" });
  const t = k.newTask(0);
  const raw = k.memory.mmap(k, t.mm!, 0, 2 * PMD_SIZE, RW, ANON);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  expect(k.memory.userTouch(k, t, a, pages, PAGE_SIZE, 64, true, TOUCH_STREAM, Infinity)).toBe(pages);
  return { k, t, mm: t.mm!, a };
}
const ptep = (mm: MmStruct, addr: number) => pteOffset(mm.pgtable, addr);
const markPte = (k: Testbed, mm: MmStruct, addr: number) => (mm.pgtable.pteFlags[ptep(mm, addr)] = pteMknuma(k, mm.pgtable.pteFlags[ptep(mm, addr)]));
const markPmd = (k: Testbed, mm: MmStruct, addr: number) => (mm.pgtable.pmdFlags[pmdIndex(addr)] = pmdMknuma(k, mm.pgtable.pmdFlags[pmdIndex(addr)]));
const touch = (k: Testbed, t: Task, addr: number, n = 1) => k.memory.userTouch(k, t, addr, n, PAGE_SIZE, 64, false, TOUCH_STREAM, Infinity);
/** Record migrate_misplaced_page calls; they "migrate" by moving nothing and report `result`. */
function fakeMigrate(k: Testbed, result: number) {
  const calls: [number, number][] = [];
  k.migrate.migrateMisplacedPage = (kk, pfn, node) => {
    calls.push([pfn, node]);
    kk.pages.refcount[pfn]--; // drops the caller's reference
    return result;
  };
  return calls;
}

describe("do_numa_page (step 16: only clears the hint)", () => {
  it("a touch of a numa pte in an accessible vma faults, and the pte comes back present and accessed", () => {
    const { k, t, mm, a } = setup(S16);
    const pfn = mm.pgtable.ptePfn[ptep(mm, a)];
    const before = mm.pgtable.pteFlags[ptep(mm, a)] & ~_PAGE_ACCESSED;
    mm.pgtable.pteFlags[ptep(mm, a)] = before;
    markPte(k, mm, a);
    expect(mm.pgtable.pteFlags[ptep(mm, a)] & _PAGE_PRESENT).toBe(0);
    expect(touch(k, t, a)).toBe(1);
    expect(mm.pgtable.pteFlags[ptep(mm, a)]).toBe(before | _PAGE_ACCESSED);
    expect(mm.pgtable.ptePfn[ptep(mm, a)]).toBe(pfn);
    expect(k.pages.refcount[pfn]).toBe(1);
    expect(k.numaFaults).toEqual([]);
  });

  it("a fault under a numa table pmd clears the pmd and every numa pte below it", () => {
    const { k, t, mm, a } = setup(S16);
    for (let i = 0; i < 8; i += 2) markPte(k, mm, a + i * PAGE_SIZE);
    markPmd(k, mm, a);
    expect(touch(k, t, a + 7 * PAGE_SIZE)).toBe(1);
    expect(pmdNuma(k, mm.pgtable.pmdFlags[pmdIndex(a)])).toBe(false);
    for (let i = 0; i < 8; i++) expect(pteNuma(k, mm.pgtable.pteFlags[ptep(mm, a + i * PAGE_SIZE)])).toBe(false);
  });

  it("the pte of a hint stays until touched when the config is off: pte_mknuma is a no-op", () => {
    const { k, mm, a } = setup({ ...S16, CONFIG_NUMA_BALANCING: false });
    const e = mm.pgtable.pteFlags[ptep(mm, a)];
    markPte(k, mm, a);
    expect(mm.pgtable.pteFlags[ptep(mm, a)]).toBe(e);
  });
});

describe("gup and FOLL_NUMA (step 14)", () => {
  it("follow_page refuses a numa pte only with FOLL_NUMA; gup adds it unless FOLL_FORCE", () => {
    const { k, mm, a } = setup(S16);
    const vma = k.memory.findVma(mm, a)!;
    const pfn = mm.pgtable.ptePfn[ptep(mm, a)];
    markPte(k, mm, a);
    expect(k.memory.followPage(k, vma, a, 0)).toBe(pfn);
    expect(k.memory.followPage(k, vma, a, FOLL_NUMA)).toBe(-1);
    // FOLL_FORCE: followed as is, the hint stays.
    expect(k.memory.getUserPage(k, mm, a, FOLL_FORCE)).toBe(pfn);
    expect(pteNuma(k, mm.pgtable.pteFlags[ptep(mm, a)])).toBe(true);
    // Plain gup takes the hinting fault, then follows.
    expect(k.memory.getUserPage(k, mm, a, 0)).toBe(pfn);
    expect(pteNuma(k, mm.pgtable.pteFlags[ptep(mm, a)])).toBe(false);
    markPmd(k, mm, a);
    expect(k.memory.followPage(k, vma, a, 0)).toBe(pfn); // pmd_bad lets a numa pmd through
    expect(k.memory.followPage(k, vma, a, FOLL_NUMA)).toBe(-1);
  });
});

describe("do_numa_page migrates (step 22) and accounts (26, 30, 32, 41)", () => {
  it("step 22: a misplaced page goes to migrate_misplaced_page, a well placed one keeps its reference", () => {
    const { k, t, mm, a } = setup(S22);
    const calls = fakeMigrate(k, 1);
    const pfn0 = mm.pgtable.ptePfn[ptep(mm, a)];
    const pfn1 = mm.pgtable.ptePfn[ptep(mm, a + PAGE_SIZE)];
    k.mempolicy.mpolMisplaced = (_k, pfn) => (pfn === pfn1 ? 1 : -1);
    markPte(k, mm, a);
    markPte(k, mm, a + PAGE_SIZE);
    expect(touch(k, t, a, 2)).toBe(2);
    expect(calls).toEqual([[pfn1, 1]]);
    expect(k.pages.refcount[pfn0]).toBe(1);
    expect(k.numaFaults).toEqual([]); // no task_numa_fault before step 26
  });

  it("step 26 accounts every fault: the CPU's node when not misplaced, the target when migrated, the page's node when not", () => {
    for (const migrates of [1, 0]) {
      const { k, t, mm, a } = setup(S26);
      fakeMigrate(k, migrates);
      const target = mm.pgtable.ptePfn[ptep(mm, a + PAGE_SIZE)];
      k.mempolicy.mpolMisplaced = (_k, pfn) => (pfn === target ? 1 : -1);
      markPte(k, mm, a);
      markPte(k, mm, a + PAGE_SIZE);
      touch(k, t, a, 2);
      expect(k.numaFaults).toEqual([
        { node: 0, pages: 1, migrated: false },
        { node: migrates ? 1 : 0, pages: 1, migrated: false },
      ]);
    }
  });

  it("step 41 passes whether the fault migrated", () => {
    const { k, t, mm, a } = setup(S41);
    fakeMigrate(k, 1);
    k.mempolicy.mpolMisplaced = () => 1;
    markPte(k, mm, a);
    touch(k, t, a);
    expect(k.numaFaults).toEqual([{ node: 1, pages: 1, migrated: true }]);
  });

  it("step 30 counts numa_hint_faults and _local; the step-30 count includes a pte without a normal page, step 32's does not", () => {
    for (const [features, counted] of [
      [S30, 2],
      [S32, 1],
    ] as const) {
      const { k, t, mm, a } = setup(features);
      markPte(k, mm, a);
      markPte(k, mm, a + PAGE_SIZE);
      mm.pgtable.ptePfn[ptep(mm, a + PAGE_SIZE)] = -1; // no normal page behind this one
      touch(k, t, a);
      expect(k.vm.events[NUMA_HINT_FAULTS]).toBe(1);
      expect(k.vm.events[NUMA_HINT_FAULTS_LOCAL]).toBe(1);
      // The pte without a page: fault it directly (a user touch would have no page to touch).
      const vma = k.memory.findVma(mm, a)!;
      k.memory.handleMmFault(k, mm, vma, a + PAGE_SIZE, 0);
      expect(k.vm.events[NUMA_HINT_FAULTS]).toBe(counted);
    }
  });
});

describe("do_pmd_numa_page (steps 26, 32)", () => {
  it("step 26 accounts non-shared pages with their node and migrates nothing; step 32 migrates misplaced ones", () => {
    for (const [features, migrating] of [
      [S26, false],
      [S32, true],
    ] as const) {
      const { k, t, mm, a } = setup(features, 4);
      const calls = fakeMigrate(k, 1);
      const second = mm.pgtable.ptePfn[ptep(mm, a + PAGE_SIZE)];
      k.mempolicy.mpolMisplaced = (_k, pfn) => (pfn === second ? 1 : -1);
      for (let i = 0; i < 4; i++) markPte(k, mm, a + i * PAGE_SIZE);
      markPmd(k, mm, a);
      touch(k, t, a);
      if (migrating) {
        expect(calls).toEqual([[second, 1]]);
        expect(k.numaFaults).toEqual([{ node: 1, pages: 1, migrated: false }]);
      } else {
        expect(calls).toEqual([]);
        expect(k.numaFaults).toEqual([0, 1, 2, 3].map(() => ({ node: 0, pages: 1, migrated: false })));
      }
    }
  });

  it("step 26 skips pages mapped more than once (after clearing them)", () => {
    const { k, t, mm, a } = setup(S26, 4);
    const child = k.forkTask(t, 1);
    k.runAs(t);
    for (let i = 0; i < 4; i++) markPte(k, mm, a + i * PAGE_SIZE);
    markPmd(k, mm, a);
    touch(k, t, a);
    expect(k.numaFaults).toEqual([]);
    for (let i = 0; i < 4; i++) expect(pteNuma(k, mm.pgtable.pteFlags[ptep(mm, a + i * PAGE_SIZE)])).toBe(false);
    expect(child.mm).not.toBe(mm);
  });
});

describe("fork and mm->first_nid (step 44)", () => {
  it("dup_mm sets NUMA_PTE_SCAN_INIT from step 44; a new mm starts at 0", () => {
    for (const [delay, want] of [
      [false, 0],
      [true, NUMA_PTE_SCAN_INIT],
    ] as const) {
      const { k, t } = setup({ CONFIG_NUMA_BALANCING: true, delayScanUntilNewNode: delay }, 1);
      expect(t.mm!.firstNid).toBe(0);
      const child = k.forkTask(t, 1);
      expect(child.mm!.firstNid).toBe(want);
    }
  });
});

describe("generic ptep_set_access_flags (mm/pgtable-generic.c, step 04)", () => {
  /** An arch whose flush_tlb_fix_spurious_fault is local only (x86 never uses this function). */
  const localFix: FlushTlbFixSpuriousFault = (k, _vma, addr) => {
    k.tlb.flushTlbLocal(k, addr);
  };
  const upgrade = (fixSpurious: boolean, arch?: FlushTlbFixSpuriousFault) => {
    const { k, mm, a } = setup({ genericPtepSetAccessFlagsFixSpurious: fixSpurious }, 1);
    const vma = k.memory.findVma(mm, a)!;
    mm.pgtable.pteFlags[ptep(mm, a)] = PAGE_COPY;
    const before = { ...k.tlb.stats };
    // The generic version writes any change, dirty or not.
    expect(genericPtepSetAccessFlags(k, vma, a, ptep(mm, a), PAGE_COPY | _PAGE_DIRTY, false, arch)).toBe(true);
    expect(genericPtepSetAccessFlags(k, vma, a, ptep(mm, a), PAGE_COPY | _PAGE_DIRTY, false, arch)).toBe(false);
    return { page: k.tlb.stats.pageFlushes - before.pageFlushes, local: k.tlb.stats.localFlushes - before.localFlushes };
  };
  it("before step 04 flushes with flush_tlb_page; from 04 with the arch's flush_tlb_fix_spurious_fault", () => {
    expect(upgrade(false, localFix)).toEqual({ page: 1, local: 1 });
    expect(upgrade(true, localFix)).toEqual({ page: 0, local: 1 });
    expect(upgrade(true)).toEqual(upgrade(false));
  });
});
