import { describe, it, expect } from "vitest";
import {
  HPAGE_PMD_NR,
  HPAGE_SIZE,
  PAGE_SIZE,
  PG_head,
  PG_tail,
  VM_HUGEPAGE,
  VM_NOHUGEPAGE,
  pmdIndex,
  pageMapcount,
  pageToNid,
} from "@balancenuma/include-linux";
import { _PAGE_PSE, _PAGE_RW, pteWrite, ptePresent, vmGetPageProt } from "@balancenuma/arch-x86-pgtable";
import { NR_ANON_PAGES, NR_ANON_TRANSPARENT_HUGEPAGES, NR_FREE_PAGES, NR_PAGETABLE, THP_FAULT_ALLOC, THP_FAULT_FALLBACK, THP_SPLIT } from "@balancenuma/vmstat";
import { exhaustHugeBlocks, testbed } from "./testbed.js";

const free = (k: ReturnType<typeof testbed>, nid = 0) => k.vm.nodeStat[nid][NR_FREE_PAGES];

function thpProcess(thp: "always" | "madvise" | "never" = "always", vmFlags = 0) {
  const k = testbed({ thp });
  const t = k.newTask(0);
  const addr = k.mmapAnon(t, 2 * HPAGE_SIZE);
  t.mm!.vmas[0].flags |= vmFlags;
  return { k, t, mm: t.mm!, addr };
}

describe("THP faults", () => {
  it('under "always" a fault in a 2 MiB-aligned range maps a huge pmd', () => {
    const { k, mm, addr } = thpProcess();
    k.touch(k.tasks.get(1)!, addr + 5 * PAGE_SIZE, 1);
    expect(k.isHuge(mm, addr)).toBe(true);
    expect(k.vm.events[THP_FAULT_ALLOC]).toBe(1);
    const head = mm.pgtable.pmdVal[pmdIndex(addr)];
    expect(head % HPAGE_PMD_NR).toBe(0);
    expect(k.pages.flags[head] & PG_head).toBeTruthy();
    expect(k.pages.flags[head + 1] & PG_tail).toBeTruthy();
    expect(k.pages.flags[head + 511] & PG_tail).toBeTruthy();
    expect(pageMapcount(k.pages, head)).toBe(1);
    expect(k.pfnAt(mm, addr + 5 * PAGE_SIZE)).toBe(head + 5);
    expect(k.entryFlags(mm, addr) & _PAGE_RW).toBeTruthy();
    expect(k.vm.nodeStat[0][NR_ANON_TRANSPARENT_HUGEPAGES]).toBe(1);
    expect(k.vm.nodeStat[0][NR_ANON_PAGES]).toBe(0);
    expect(mm.anonRss).toBe(HPAGE_PMD_NR);
    // The pte page a later split needs is allocated now (deposited).
    expect(k.vm.nodeStat[0][NR_PAGETABLE]).toBe(1);
  });

  it('"never" and MADV_NOHUGEPAGE give 4K pages', () => {
    for (const [thp, flags] of [
      ["never", 0],
      ["always", VM_NOHUGEPAGE],
    ] as const) {
      const { k, mm, addr } = thpProcess(thp, flags);
      k.touch(k.tasks.get(1)!, addr, 3);
      expect(k.isHuge(mm, addr)).toBe(false);
      expect(k.pfnAt(mm, addr + 2 * PAGE_SIZE)).toBeGreaterThanOrEqual(0);
      expect(k.vm.events[THP_FAULT_ALLOC]).toBe(0);
      expect(mm.anonRss).toBe(3);
    }
  });

  it('"madvise" gives THPs only to MADV_HUGEPAGE vmas', () => {
    const plain = thpProcess("madvise");
    plain.k.touch(plain.t, plain.addr, 1);
    expect(plain.k.isHuge(plain.mm, plain.addr)).toBe(false);
    const advised = thpProcess("madvise", VM_HUGEPAGE);
    advised.k.touch(advised.t, advised.addr, 1);
    expect(advised.k.isHuge(advised.mm, advised.addr)).toBe(true);
  });

  it("a vma that does not cover the whole 2 MiB range gets 4K pages", () => {
    const k = testbed();
    const t = k.newTask(0);
    const addr = k.mmapAnon(t, HPAGE_SIZE - PAGE_SIZE);
    expect(k.hugeMemory.thpAllowed(k, t.mm!.vmas[0], addr)).toBe(false);
    k.touch(t, addr, 1);
    expect(k.isHuge(t.mm!, addr)).toBe(false);
  });

  it("falls back to 4K pages and counts thp_fault_fallback when no 2 MiB block is free", () => {
    const k = testbed({ nodesMiB: [16] });
    const taken = exhaustHugeBlocks(k, 0);
    expect(taken.length).toBeGreaterThan(0);
    // Give back 400 single pages of one block: plenty of 4K memory, no whole block.
    for (let i = 0; i < 400; i++) k.pageAlloc.freePages(k, taken[0] + i, 0);
    const t = k.newTask(0);
    const addr = k.mmapAnon(t, HPAGE_SIZE);
    k.touch(t, addr, 2);
    expect(k.isHuge(t.mm!, addr)).toBe(false);
    expect(k.vm.events[THP_FAULT_FALLBACK]).toBe(1); // the second touch finds a pte table, not pmd_none
    expect(k.vm.events[THP_FAULT_ALLOC]).toBe(0);
    expect(k.pfnAt(t.mm!, addr + PAGE_SIZE)).toBeGreaterThanOrEqual(0);
  });
});

describe("split_huge_page", () => {
  it("keeps every subpage where it is, with its own mapcount, the pmd's permissions and the node", () => {
    const { k, t, mm, addr } = thpProcess();
    k.touch(t, addr, 1);
    const head = k.pfnAt(mm, addr);
    const nid = pageToNid(k.pages, head);
    const freeBefore = free(k);
    expect(k.hugeMemory.splitHugePage(k, head + 7)).toBe(0); // a tail page finds its head
    expect(k.vm.events[THP_SPLIT]).toBe(1);
    expect(k.isHuge(mm, addr)).toBe(false);
    for (let i = 0; i < HPAGE_PMD_NR; i++) {
      const a = addr + i * PAGE_SIZE;
      expect(k.pfnAt(mm, a)).toBe(head + i);
      expect(pageMapcount(k.pages, head + i)).toBe(1);
      expect(pageToNid(k.pages, head + i)).toBe(nid);
      expect(k.pages.flags[head + i] & (PG_head | PG_tail)).toBe(0);
      expect(ptePresent(k.entryFlags(mm, a)) && pteWrite(k.entryFlags(mm, a))).toBe(true);
    }
    // The deposited pte page is used: no allocation.
    expect(free(k)).toBe(freeBefore);
    expect(k.vm.nodeStat[nid][NR_ANON_TRANSPARENT_HUGEPAGES]).toBe(0);
    expect(k.vm.nodeStat[nid][NR_ANON_PAGES]).toBe(HPAGE_PMD_NR);
    // Each subpage is an ordinary anonymous page now: its rmap finds it.
    let found = 0;
    k.rmap.rmapWalk(k, head + 300, () => found++);
    expect(found).toBe(1);
  });

  it("splits the pmd in every mm sharing the THP after fork", () => {
    const { k, t, mm, addr } = thpProcess();
    k.touch(t, addr, 1);
    const head = k.pfnAt(mm, addr);
    const child = k.forkTask(t, 1);
    expect(pageMapcount(k.pages, head)).toBe(2);
    k.hugeMemory.splitHugePage(k, head);
    for (const m of [mm, child.mm!]) {
      expect(k.isHuge(m, addr)).toBe(false);
      expect(k.pfnAt(m, addr + 100 * PAGE_SIZE)).toBe(head + 100);
    }
    expect(pageMapcount(k.pages, head + 100)).toBe(2);
    expect(k.pages.refcount[head + 100]).toBe(2);
  });

  it("a read-only (not written) huge pmd splits into read-only ptes", () => {
    const { k, t, mm, addr } = thpProcess();
    k.touch(t, addr, 1);
    const pi = pmdIndex(addr);
    mm.pgtable.pmdFlags[pi] &= ~_PAGE_RW;
    k.hugeMemory.splitHugePagePmd(k, mm.vmas[0], pi);
    expect(pteWrite(k.entryFlags(mm, addr + PAGE_SIZE))).toBe(false);
  });

  it("munmap of part of a THP splits it and frees only the unmapped pages", () => {
    const { k, t, mm, addr } = thpProcess();
    k.touch(t, addr, 1);
    const head = k.pfnAt(mm, addr);
    const freeBefore = free(k);
    k.memory.munmap(k, mm, addr, 16 * PAGE_SIZE);
    expect(k.vm.events[THP_SPLIT]).toBe(1);
    expect(free(k)).toBe(freeBefore + 16);
    expect(k.pfnAt(mm, addr + 16 * PAGE_SIZE)).toBe(head + 16);
    expect(k.pfnAt(mm, addr)).toBe(-1);
    expect(mm.anonRss).toBe(HPAGE_PMD_NR - 16);
  });
});

describe("zap_huge_pmd and change_huge_pmd", () => {
  it("munmap of a whole THP frees the 2 MiB page and its deposited pte page", () => {
    const { k, t, mm, addr } = thpProcess();
    const freeBefore = free(k);
    k.touch(t, addr, 1);
    expect(free(k)).toBe(freeBefore - HPAGE_PMD_NR - 1);
    k.memory.munmap(k, mm, addr, HPAGE_SIZE);
    expect(free(k)).toBe(freeBefore);
    expect(k.vm.nodeStat[0][NR_ANON_TRANSPARENT_HUGEPAGES]).toBe(0);
    expect(k.vm.nodeStat[0][NR_PAGETABLE]).toBe(0);
    expect(mm.anonRss).toBe(0);
    expect(k.vm.events[THP_SPLIT]).toBe(0);
  });

  it("a THP shared with a child is freed only when both unmap it", () => {
    const { k, t, mm, addr } = thpProcess();
    k.touch(t, addr, 1);
    const child = k.forkTask(t, 1);
    const head = k.pfnAt(mm, addr);
    k.memory.munmap(k, mm, addr, HPAGE_SIZE);
    expect(pageMapcount(k.pages, head)).toBe(1);
    expect(k.pages.flags[head] & PG_head).toBeTruthy();
    const before = free(k);
    k.memory.munmap(k, child.mm!, addr, HPAGE_SIZE);
    expect(free(k)).toBe(before + HPAGE_PMD_NR);
  });

  it("change_huge_pmd rewrites the protection of the whole pmd", () => {
    const { k, t, mm, addr } = thpProcess();
    k.touch(t, addr, 1);
    const pi = pmdIndex(addr);
    expect(k.hugeMemory.changeHugePmd(k, mm.vmas[0], pi, vmGetPageProt(0x1), false)).toBe(1);
    const f = mm.pgtable.pmdFlags[pi];
    expect(f & _PAGE_PSE).toBeTruthy();
    expect(f & _PAGE_RW).toBe(0);
    expect(k.hugeMemory.changeHugePmd(k, mm.vmas[0], pi + 1, 0, false)).toBe(0);
  });
});
