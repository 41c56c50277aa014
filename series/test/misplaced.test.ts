/** migrate_misplaced_page, the rate limiter and migrate_misplaced_transhuge_page on the fake kernel. */
import { describe, it, expect } from "vitest";
import {
  EAGAIN,
  GFP_KERNEL,
  HPAGE_PMD_NR,
  HPAGE_SIZE,
  PAGE_SIZE,
  PG_buddy,
  PG_locked,
  PG_lru,
  TICK_NSEC,
  nodeMask,
  pmdIndex,
  type Features,
  pageMapcount,
  pageToNid,
} from "@balancenuma/include-linux";
import { _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_NUMA, _PAGE_PRESENT, _PAGE_PSE, _PAGE_RW } from "@balancenuma/arch-x86-pgtable";
import { NR_ANON_TRANSPARENT_HUGEPAGES, NR_FREE_PAGES, NR_ISOLATED_ANON, NUMA_PAGE_MIGRATE, PGMIGRATE_FAIL, PGMIGRATE_SUCCESS } from "@balancenuma/vmstat";
import { exhaustHugeBlocks, testbed, type Testbed } from "./testbed.js";
import { RATELIMIT_PAGES } from "@balancenuma/mm-migrate";

/** The gates of a CONFIG_NUMA_BALANCING kernel at the step that has migrate_misplaced_page. */
const NUMA: Partial<Features> = { CONFIG_NUMA_BALANCING: true, migrateMisplacedPage: "drops-reference", migrateTracepoint: true, migrateStats: true };
/** Up to step 47 (THP migration and its accounting). */
const THP: Partial<Features> = {
  ...NUMA,
  pteNumaHelpers: true,
  numaVmstat: true,
  migrateRatelimitState: true,
  migrateRatelimit: true,
  lastNid: true,
  migrateCopiesLastNid: true,
  thpMigrate: true,
};

const misplaced = (k: Testbed) => k.migrate.misplaced;

/** A task on CPU 0 (node 0) with n 4K pages; returns the pfns. */
function setup(features: Partial<Features>, n = 1) {
  const k = testbed({ thp: "never", features, nodesMiB: [16, 16] });
  const t = k.newTask(0);
  const addr = k.mmapAnon(t, n * PAGE_SIZE);
  k.touch(t, addr, n);
  const pfns = Array.from({ length: n }, (_, i) => k.pfnAt(t.mm!, addr + i * PAGE_SIZE));
  return { k, t, addr, pfns };
}

/** do_numa_page's side: take the reference the call consumes. */
function migrate(k: Testbed, pfn: number, node: number): number {
  k.pages.refcount[pfn]++;
  return k.migrate.migrateMisplacedPage(k, pfn, node);
}

/** Take pages on `nid` until it is at its high watermark + 1 (migrate_balanced_pgdat fails). */
function fillNode(k: Testbed, nid: number): void {
  while (k.pageAlloc.watermarkOk(k, nid, "high", 1)) expect(k.pageAlloc.allocPages(k, GFP_KERNEL, 0, nid, nodeMask(nid))).toBeGreaterThanOrEqual(0);
}

describe("migrate_misplaced_page", () => {
  it("is the -EAGAIN stub without CONFIG_NUMA_BALANCING or before step 20, and leaves the reference", () => {
    for (const f of [{ migrateMisplacedPage: "drops-reference" as const }, { CONFIG_NUMA_BALANCING: true }]) {
      const { k, pfns } = setup(f);
      expect(migrate(k, pfns[0], 1)).toBe(-EAGAIN);
      expect(k.pages.refcount[pfns[0]]).toBe(2);
      expect(pageToNid(k.pages, pfns[0])).toBe(0);
    }
  });

  it("moves an unshared page to the node: async, MR_NUMA_MISPLACED (printed 0x5), the reference dropped", () => {
    const { k, t, addr, pfns } = setup(NUMA);
    expect(migrate(k, pfns[0], 1)).toBe(1);
    const now = k.pfnAt(t.mm!, addr);
    expect(pageToNid(k.pages, now)).toBe(1);
    expect(k.pages.refcount[now]).toBe(1);
    expect(k.pages.flags[pfns[0]] & PG_buddy).toBeTruthy();
    expect(k.vm.events[PGMIGRATE_SUCCESS]).toBe(1);
    expect(k.vm.nodeStat[0][NR_ISOLATED_ANON]).toBe(0);
    expect(k.traceLines).toEqual([{ event: "migrate:mm_migrate_pages", text: "nr_succeeded=1 nr_failed=0 mode=MIGRATE_ASYNC reason=0x5" }]);
  });

  it("refuses a page mapped by two processes, dropping the reference", () => {
    const { k, t, pfns } = setup(NUMA);
    k.forkTask(t);
    expect(pageMapcount(k.pages, pfns[0])).toBe(2);
    expect(migrate(k, pfns[0], 1)).toBe(0);
    expect(k.pages.refcount[pfns[0]]).toBe(2);
    expect(pageToNid(k.pages, pfns[0])).toBe(0);
  });

  it("refuses a full target node; step 20 keeps the caller's reference (leak), step 21 drops it", () => {
    for (const [gate, ref] of [
      ["leaks-reference", 2],
      ["drops-reference", 1],
    ] as const) {
      const { k, pfns } = setup({ ...NUMA, migrateMisplacedPage: gate });
      fillNode(k, 1);
      expect(migrate(k, pfns[0], 1)).toBe(0);
      expect(k.pages.refcount[pfns[0]]).toBe(ref);
      expect(k.pages.flags[pfns[0]] & PG_lru).toBeTruthy();
      expect(k.vm.events[PGMIGRATE_SUCCESS]).toBe(0);
      expect(k.traceLines).toHaveLength(0);
    }
  });

  it("puts the page back when no target page can be had (migrate_pages -ENOMEM)", () => {
    const { k, pfns } = setup(NUMA);
    // Balanced (above high + 1) but GFP_THISNODE fails: the allocator wants the low mark... make it fail outright.
    k.pageAlloc.allocPages = () => -1;
    expect(migrate(k, pfns[0], 1)).toBe(0);
    expect(k.pages.refcount[pfns[0]]).toBe(1);
    expect(k.pages.flags[pfns[0]] & PG_lru).toBeTruthy();
    expect(k.vm.nodeStat[0][NR_ISOLATED_ANON]).toBe(0);
  });

  it("counts numa_pages_migrated only with the step 30 counters", () => {
    for (const numaVmstat of [false, true]) {
      const { k, pfns } = setup({ ...NUMA, numaVmstat });
      expect(migrate(k, pfns[0], 1)).toBe(1);
      expect(k.vm.events[NUMA_PAGE_MIGRATE]).toBe(numaVmstat ? 1 : 0);
    }
  });

  it("copies last_nid to the new page only from step 39", () => {
    for (const migrateCopiesLastNid of [false, true]) {
      const { k, t, addr, pfns } = setup({ ...NUMA, lastNid: true, migrateCopiesLastNid });
      k.pages.lastNid[pfns[0]] = 1;
      expect(migrate(k, pfns[0], 1)).toBe(1);
      expect(k.pages.lastNid[k.pfnAt(t.mm!, addr)]).toBe(migrateCopiesLastNid ? 1 : -1);
    }
  });
});

describe("the per-node migration rate limit", () => {
  const RL: Partial<Features> = { ...NUMA, migrateRatelimitState: true, migrateRatelimit: true, pteNumaRatelimit: true };

  it("has per-node state from step 33 (next_window = boot jiffies, nr_pages 0), none before or without the config", () => {
    expect(misplaced(setup(NUMA).k).pgdat(setup(NUMA).k, 0)).toBeNull();
    const k = setup({ migrateRatelimitState: true }).k;
    expect(misplaced(k).pgdat(k, 1)).toBeNull();
    const k2 = setup({ ...NUMA, migrateRatelimitState: true }).k;
    expect(misplaced(k2).pgdat(k2, 1)).toMatchObject({ nextWindow: 0, nrPages: 0 });
  });

  it("charges one page per attempt before isolating (not refunded), refusing once the window holds more than the limit", () => {
    const { k, pfns } = setup(RL, 3);
    fillNode(k, 1);
    const pgdat = misplaced(k).pgdat(k, 1)!;
    k.cpus[0].clock += TICK_NSEC; // past the boot window (next_window = jiffies at boot)
    expect(migrate(k, pfns[0], 1)).toBe(0); // node full: charged anyway
    expect(pgdat.nrPages).toBe(1);
    expect(pgdat.nextWindow).toBe(k.jiffies() + 25); // 100 ms at HZ=250
    pgdat.nrPages = RATELIMIT_PAGES; // not above the limit: one more is admitted
    expect(migrate(k, pfns[1], 1)).toBe(0);
    expect(pgdat.nrPages).toBe(RATELIMIT_PAGES + 1);
    const ref = k.pages.refcount[pfns[2]];
    expect(migrate(k, pfns[2], 1)).toBe(0); // above: refused, reference dropped, nothing charged
    expect(pgdat.nrPages).toBe(RATELIMIT_PAGES + 1);
    expect(k.pages.refcount[pfns[2]]).toBe(ref);
  });

  it("restarts the window lazily with the next attempt after it passed", () => {
    const { k, pfns } = setup(RL, 1);
    const pgdat = misplaced(k).pgdat(k, 1)!;
    pgdat.nrPages = RATELIMIT_PAGES + 1;
    expect(migrate(k, pfns[0], 1)).toBe(0);
    k.cpus[0].clock += 26 * TICK_NSEC;
    expect(migrate(k, pfns[0], 1)).toBe(1);
    expect(pgdat.nrPages).toBe(1);
  });

  it("has no limit before step 34", () => {
    const { k, pfns } = setup({ ...NUMA, migrateRatelimitState: true }, 1);
    misplaced(k).pgdat(k, 1)!.nrPages = RATELIMIT_PAGES * 2;
    expect(migrate(k, pfns[0], 1)).toBe(1);
  });

  it("migrate_ratelimited: saturated at >= the limit, until a second after the window closed (step 35)", () => {
    const { k } = setup(RL);
    const pgdat = misplaced(k).pgdat(k, 1)!;
    pgdat.nextWindow = 25;
    pgdat.nrPages = RATELIMIT_PAGES - 1;
    expect(k.migrate.migrateRatelimited(k, 1)).toBe(false);
    pgdat.nrPages = RATELIMIT_PAGES;
    expect(k.migrate.migrateRatelimited(k, 1)).toBe(true);
    k.cpus[0].clock = (25 + 250) * TICK_NSEC; // next_window + 1000 ms: not after it yet
    expect(k.migrate.migrateRatelimited(k, 1)).toBe(true);
    k.cpus[0].clock += TICK_NSEC;
    expect(k.migrate.migrateRatelimited(k, 1)).toBe(false);
    const before = setup({ ...RL, pteNumaRatelimit: false }).k;
    misplaced(before).pgdat(before, 1)!.nrPages = RATELIMIT_PAGES;
    expect(before.migrate.migrateRatelimited(before, 1)).toBe(false);
  });
});

/** A task on CPU 0 with one THP on node 0, the caller's reference and page lock taken. */
function thpSetup(features: Partial<Features>) {
  const k = testbed({ thp: "always", features });
  const t = k.newTask(0);
  const addr = k.mmapAnon(t, HPAGE_SIZE);
  k.touch(t, addr, 1);
  expect(k.isHuge(t.mm!, addr)).toBe(true);
  const head = k.pfnAt(t.mm!, addr);
  const pi = pmdIndex(addr);
  const vma = t.mm!.vmas[0];
  // do_huge_pmd_numa_page: get_page, lock_page.
  k.pages.refcount[head]++;
  k.pages.flags[head] |= PG_locked;
  const call = (node = 1) => k.migrate.migrateMisplacedTranshugePage(k, t.mm!, vma, pi, addr, head, node);
  return { k, t, addr, head, pi, call };
}

describe("migrate_misplaced_transhuge_page", () => {
  it("is the -EAGAIN stub before step 45", () => {
    const { k, head, call } = thpSetup({ ...THP, thpMigrate: false });
    expect(call()).toBe(-EAGAIN);
    expect(k.pages.refcount[head]).toBe(2);
  });

  it("moves the whole THP: new huge pmd (present, not numa, dirty, writable), 512 counted, no trace event", () => {
    const { k, t, addr, head, pi, call } = thpSetup(THP);
    k.pages.lastNid[head] = 1;
    const free0 = k.vm.nodeStat[0][NR_FREE_PAGES];
    const clock = k.cpus[0].clock;
    expect(call()).toBe(1);
    const pt = t.mm!.pgtable;
    const nhead = pt.pmdVal[pi];
    expect(pageToNid(k.pages, nhead)).toBe(1);
    const f = pt.pmdFlags[pi];
    expect(f & (_PAGE_PSE | _PAGE_PRESENT | _PAGE_DIRTY | _PAGE_RW | _PAGE_ACCESSED)).toBe(_PAGE_PSE | _PAGE_PRESENT | _PAGE_DIRTY | _PAGE_RW | _PAGE_ACCESSED);
    expect(f & _PAGE_NUMA).toBe(0);
    expect(pageMapcount(k.pages, nhead)).toBe(1);
    expect(k.pages.refcount[nhead]).toBe(1);
    expect(k.pages.lastNid[nhead]).toBe(1);
    expect(k.pages.flags[nhead] & (PG_lru | PG_locked)).toBe(PG_lru);
    expect(k.pages.flags[head] & PG_buddy).toBeTruthy();
    expect(k.vm.nodeStat[0][NR_FREE_PAGES]).toBe(free0 + HPAGE_PMD_NR);
    expect(k.vm.nodeStat[1][NR_ANON_TRANSPARENT_HUGEPAGES]).toBe(1);
    expect(k.vm.nodeStat[0][NR_ANON_TRANSPARENT_HUGEPAGES]).toBe(0);
    expect(k.vm.nodeStat[0][NR_ISOLATED_ANON]).toBe(0);
    expect(k.vm.events[PGMIGRATE_SUCCESS]).toBe(HPAGE_PMD_NR);
    expect(k.vm.events[NUMA_PAGE_MIGRATE]).toBe(HPAGE_PMD_NR);
    expect(k.traceLines).toHaveLength(0);
    // The rmap finds the new page at the same address; the 2 MiB copy was paid by this CPU.
    const seen: number[] = [];
    k.rmap.rmapWalk(k, nhead, (_v, a) => seen.push(a));
    expect(seen).toEqual([addr]);
    expect(k.cpus[0].clock - clock).toBeGreaterThan(k.bus.copyNs(0, 0, 1, HPAGE_SIZE));
  });

  it("refuses shared THPs and rate-limited nodes silently, dropping the reference", () => {
    const { k, t, head, call } = thpSetup(THP);
    k.forkTask(t);
    expect(call()).toBe(0);
    expect(k.pages.refcount[head]).toBe(2); // the two mappings
    expect(k.vm.events[PGMIGRATE_FAIL]).toBe(0);
    const r = thpSetup(THP);
    misplaced(r.k).pgdat(r.k, 1)!.nrPages = RATELIMIT_PAGES + 1;
    expect(r.call()).toBe(0);
    expect(r.k.pages.refcount[r.head]).toBe(1);
    expect(r.k.vm.events[PGMIGRATE_FAIL]).toBe(0);
  });

  it("charges 1 to the rate limit at steps 45-46 and HPAGE_PMD_NR from step 47", () => {
    for (const [thpRatelimitChargesHpage, charge] of [
      [false, 1],
      [true, HPAGE_PMD_NR],
    ] as const) {
      const { k, call } = thpSetup({ ...THP, thpRatelimitChargesHpage });
      expect(call()).toBe(1);
      expect(misplaced(k).pgdat(k, 1)!.nrPages).toBe(charge);
    }
  });

  it("counts 512 in pgmigrate_fail on allocation and isolation failure only from step 46", () => {
    for (const thpMigrateFailAccounting of [false, true]) {
      const a = thpSetup({ ...THP, thpMigrateFailAccounting });
      exhaustHugeBlocks(a.k, 1);
      expect(a.call()).toBe(0);
      expect(a.k.pages.refcount[a.head]).toBe(1);
      expect(a.k.vm.events[PGMIGRATE_FAIL]).toBe(thpMigrateFailAccounting ? HPAGE_PMD_NR : 0);

      const b = thpSetup({ ...THP, thpMigrateFailAccounting });
      b.k.pages.flags[b.head] &= ~PG_lru; // isolated by someone else: isolate_lru_page fails
      const free1 = b.k.vm.nodeStat[1][NR_FREE_PAGES];
      expect(b.call()).toBe(0);
      expect(b.k.pages.refcount[b.head]).toBe(1);
      expect(b.k.pages.flags[b.head] & PG_locked).toBeTruthy(); // the caller unlocks
      expect(b.k.vm.nodeStat[1][NR_FREE_PAGES]).toBe(free1);
      expect(b.k.vm.events[PGMIGRATE_FAIL]).toBe(thpMigrateFailAccounting ? HPAGE_PMD_NR : 0);
    }
  });

  it("when the pmd changed during the copy: frees the copy, puts the page back, counts 512 failures, returns 1", () => {
    const { k, t, head, pi, call } = thpSetup(THP);
    const pt = t.mm!.pgtable;
    const free1 = k.vm.nodeStat[1][NR_FREE_PAGES];
    k.migrate.misplaced.thpRecheckHook = (mm, i) => {
      mm.pgtable.pmdFlags[i] &= ~_PAGE_ACCESSED; // another CPU updated the pmd
    };
    expect(call()).toBe(1);
    expect(pt.pmdVal[pi]).toBe(head);
    expect(k.pages.refcount[head]).toBe(1);
    expect(k.pages.flags[head] & (PG_lru | PG_locked)).toBe(PG_lru);
    expect(k.vm.nodeStat[1][NR_FREE_PAGES]).toBe(free1);
    expect(k.vm.nodeStat[0][NR_ISOLATED_ANON]).toBe(0);
    expect(k.vm.events[PGMIGRATE_FAIL]).toBe(HPAGE_PMD_NR);
    expect(k.vm.events[PGMIGRATE_SUCCESS]).toBe(0);
  });
});
