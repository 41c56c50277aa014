import { describe, it, expect } from "vitest";
import { PAGE_SIZE, PROT_READ, PG_anon, PG_migrating, linearAddr, type Features, type Vma, pageMapcount } from "@balancenuma/include-linux";
import { isMigrationEntry, isWriteMigrationEntry, pteWrite, ptePresent } from "@balancenuma/arch-x86-pgtable";
import { NR_ANON_PAGES } from "@balancenuma/vmstat";
import { testbed, type Testbed } from "./testbed.js";

/** A process with `n` touched 4K pages (no THP), and a fork of it. */
function forked(features: Partial<Features> = {}, n = 8) {
  const k = testbed({ thp: "never", features });
  const parent = k.newTask(0);
  const addr = k.mmapAnon(parent, n * PAGE_SIZE);
  k.touch(parent, addr, n);
  const child = k.forkTask(parent, 2);
  return { k, parent, child, addr };
}

function walk(k: Testbed, pfn: number): { vma: Vma; addr: number }[] {
  const seen: { vma: Vma; addr: number }[] = [];
  k.rmap.rmapWalk(k, pfn, (vma, addr) => seen.push({ vma, addr }));
  return seen;
}

describe("anon_vma and rmap walks", () => {
  it("a new anonymous page is anon, mapped once, counted and found through its anon_vma", () => {
    const k = testbed({ thp: "never" });
    const t = k.newTask(0);
    const addr = k.mmapAnon(t, 4 * PAGE_SIZE);
    k.touch(t, addr, 4);
    const pfn = k.pfnAt(t.mm!, addr + PAGE_SIZE);
    expect(k.pages.flags[pfn] & PG_anon).toBeTruthy();
    expect(pageMapcount(k.pages, pfn)).toBe(1);
    expect(linearAddr(k.pages.index[pfn])).toBe(addr + PAGE_SIZE);
    expect(k.vm.nodeStat[0][NR_ANON_PAGES]).toBe(4);
    const seen = walk(k, pfn);
    expect(seen).toHaveLength(1);
    expect(seen[0].vma.mm).toBe(t.mm);
    expect(seen[0].addr).toBe(addr + PAGE_SIZE);
  });

  it("a forked process's pages are found through the rmap from both mms", () => {
    const { k, parent, child, addr } = forked();
    const pfn = k.pfnAt(parent.mm!, addr + 3 * PAGE_SIZE);
    expect(k.pfnAt(child.mm!, addr + 3 * PAGE_SIZE)).toBe(pfn);
    expect(pageMapcount(k.pages, pfn)).toBe(2);
    const mms = walk(k, pfn).map((s) => s.vma.mm);
    expect(mms).toHaveLength(2);
    expect(new Set(mms)).toEqual(new Set([parent.mm, child.mm]));
    // The child's anon_vma hangs off the parent's root.
    const pv = parent.mm!.vmas[0].anonVma!;
    const cv = child.mm!.vmas[0].anonVma!;
    expect(cv).not.toBe(pv);
    expect(cv.root).toBe(pv.root);
  });

  it("after the child unmaps, only the parent is found; the walk survives vma splits", () => {
    const { k, parent, child, addr } = forked({}, 8);
    const pfn = k.pfnAt(parent.mm!, addr + 6 * PAGE_SIZE);
    // Splitting the parent's vma (as mprotect/mbind would) keeps the page reachable.
    k.memory.splitVma(k, parent.mm!.vmas[0], addr + 4 * PAGE_SIZE);
    expect(walk(k, pfn)).toHaveLength(2);
    k.memory.munmap(k, child.mm!, addr, 8 * PAGE_SIZE);
    expect(pageMapcount(k.pages, pfn)).toBe(1);
    const seen = walk(k, pfn);
    expect(seen).toHaveLength(1);
    expect(seen[0].vma.mm).toBe(parent.mm);
    expect(seen[0].vma.start).toBe(addr + 4 * PAGE_SIZE);
    // Unmapping the lower half of the parent (the vma on the root's list) keeps the upper half reachable.
    k.memory.munmap(k, parent.mm!, addr, 4 * PAGE_SIZE);
    expect(walk(k, pfn)).toHaveLength(1);
  });
});

describe("try_to_unmap and migration entries", () => {
  it("leaves migration entries in every mm and unmaps the page; they remember whether the pte was writable", () => {
    const { k, parent, child, addr } = forked();
    const a = addr + 2 * PAGE_SIZE;
    const pfn = k.pfnAt(parent.mm!, a);
    // fork write-protected both ptes for copy-on-write: read migration entries.
    expect(pteWrite(k.entryFlags(parent.mm!, a))).toBe(false);
    expect(k.rmap.tryToUnmap(k, pfn, true)).toBe(true);
    expect(pageMapcount(k.pages, pfn)).toBe(0);
    expect(k.pages.flags[pfn] & PG_migrating).toBeTruthy();
    for (const mm of [parent.mm!, child.mm!]) {
      const e = k.entryFlags(mm, a);
      expect(isMigrationEntry(e)).toBe(true);
      expect(isWriteMigrationEntry(e)).toBe(false);
      expect(ptePresent(e)).toBe(false);
    }
    // The rmap walk does not report migration entries as mappings.
    expect(walk(k, pfn)).toHaveLength(0);
    // A page its one process has written: a write migration entry.
    const t = k.newTask(0);
    const own = k.mmapAnon(t, PAGE_SIZE);
    k.touch(t, own, 1);
    const ownPfn = k.pfnAt(t.mm!, own);
    expect(pteWrite(k.entryFlags(t.mm!, own))).toBe(true);
    k.rmap.tryToUnmap(k, ownPfn, true);
    expect(isWriteMigrationEntry(k.entryFlags(t.mm!, own))).toBe(true);
  });

  it("remove_migration_ptes points the entries at the new page with the old permissions", () => {
    const { k, parent, child, addr } = forked();
    const a = addr + 5 * PAGE_SIZE;
    const pfn = k.pfnAt(parent.mm!, a);
    k.rmap.tryToUnmap(k, pfn, true);
    const newPfn = k.pageAlloc.allocPages(k, 0, 0, 1, null);
    k.pages.anonVma[newPfn] = k.pages.anonVma[pfn];
    k.pages.index[newPfn] = k.pages.index[pfn];
    k.rmap.removeMigrationPtes(k, pfn, newPfn);
    for (const mm of [parent.mm!, child.mm!]) {
      expect(k.pfnAt(mm, a)).toBe(newPfn);
      expect(ptePresent(k.entryFlags(mm, a))).toBe(true);
      expect(pteWrite(k.entryFlags(mm, a))).toBe(false); // still copy-on-write
    }
    expect(pageMapcount(k.pages, newPfn)).toBe(2);
    expect(k.pages.flags[pfn] & PG_migrating).toBe(0);
    expect(walk(k, newPfn)).toHaveLength(2);
  });

  it("a read-only pte gives a read migration entry and comes back read-only", () => {
    const k = testbed({ thp: "never" });
    const t = k.newTask(0);
    const addr = k.mmapAnon(t, PAGE_SIZE);
    k.touch(t, addr, 1);
    expect(k.mprotect.sysMprotect(k, t.mm!, addr, PAGE_SIZE, PROT_READ)).toBe(0);
    const pfn = k.pfnAt(t.mm!, addr);
    k.rmap.tryToUnmap(k, pfn, true);
    expect(isMigrationEntry(k.entryFlags(t.mm!, addr))).toBe(true);
    expect(isWriteMigrationEntry(k.entryFlags(t.mm!, addr))).toBe(false);
    k.rmap.removeMigrationPtes(k, pfn, pfn);
    expect(k.pfnAt(t.mm!, addr)).toBe(pfn);
    expect(pteWrite(k.entryFlags(t.mm!, addr))).toBe(false);
    expect(pageMapcount(k.pages, pfn)).toBe(1);
  });

  it("without migration the ptes are cleared and the rss drops", () => {
    const { k, parent, child, addr } = forked();
    const pfn = k.pfnAt(parent.mm!, addr);
    const rss = parent.mm!.anonRss;
    expect(k.rmap.tryToUnmap(k, pfn, false)).toBe(true);
    expect(k.entryFlags(parent.mm!, addr)).toBe(0);
    expect(k.entryFlags(child.mm!, addr)).toBe(0);
    expect(parent.mm!.anonRss).toBe(rss - 1);
  });

  it("clearing accessible ptes flushes the TLB through ptep_clear_flush", () => {
    const { k, parent } = forked();
    const before = k.tlb.stats.pageFlushes;
    const pfn = k.pfnAt(parent.mm!, parent.mm!.vmas[0].start);
    k.rmap.tryToUnmap(k, pfn, true);
    expect(k.tlb.stats.pageFlushes - before).toBe(2);
  });
});

describe("the anon_vma lock", () => {
  /** Two CPUs unmap two pages of the same anon_vma at the same simulated time. */
  function concurrentUnmaps(features: Partial<Features>) {
    const { k, parent, addr } = forked(features);
    const root = parent.mm!.vmas[0].anonVma!.root;
    const a = k.pfnAt(parent.mm!, addr);
    const b = k.pfnAt(parent.mm!, addr + PAGE_SIZE);
    const t0 = 1_000_000;
    k.cpus[0].clock = t0;
    k.cpus[1].clock = t0;
    k.currentCpu = 0;
    k.rmap.tryToUnmap(k, a, true);
    k.currentCpu = 1;
    k.rmap.tryToUnmap(k, b, true);
    return { k, root };
  }

  it("is a mutex at 3.7: concurrent rmap walks of one anon_vma serialise", () => {
    const { root } = concurrentUnmaps({});
    expect(root.lock.kind).toBe("mutex");
    expect(root.lock.stats.contended).toBe(1);
    expect(root.lock.stats.waitNs).toBeGreaterThan(0);
  });

  it("is an rwsem still taken for write at step 48", () => {
    const { root } = concurrentUnmaps({ anonVmaLock: "rwsem" });
    expect(root.lock.kind).toBe("rwsem");
    expect(root.lock.stats.contended).toBe(1);
  });

  it("lets try_to_unmap walkers share it from step 49, while fork still excludes them", () => {
    const { k, root } = concurrentUnmaps({ anonVmaLock: "rwsem-read-walks" });
    expect(root.lock.stats.contended).toBe(0);
    // A writer (fork) at the same time on a third CPU waits for the readers.
    k.currentCpu = 2;
    k.cpus[2].clock = 1_000_000;
    const parent = [...k.tasks.values()][0];
    k.forkTask(parent, 2);
    expect(root.lock.stats.contended).toBe(1);
  });
});
