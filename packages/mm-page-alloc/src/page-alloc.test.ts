import { describe, it, expect } from "vitest";
import {
  GFP_HIGHUSER_MOVABLE,
  GFP_THISNODE,
  GFP_TRANSHUGE,
  HPAGE_PMD_NR,
  LAST_NID_NONE,
  PAGE_SIZE,
  PG_buddy,
  PG_head,
  PG_reserved,
  PG_tail,
  ZERO_PFN,
  PageFrames,
  __GFP_THISNODE,
  nodeMask,
  BASELINE_FEATURES,
  pageLastNid,
  pageMapcount,
  type Features,
  type Kernel,
  pageToNid,
} from "@balancenuma/include-linux";
import { COST_PROFILES, MemoryBus, makeTopology, parseTopology, type Topology } from "@balancenuma/machine";
import { NR_FREE_PAGES, NUMA_FOREIGN, NUMA_HIT, NUMA_LOCAL, NUMA_MISS, NUMA_OTHER, PGALLOC_NORMAL, PGFREE, newVmCounters } from "@balancenuma/vmstat";
import { FIRST_ZONE_PFN, PageAllocator, setupPerZoneWmarks } from "./page-alloc.js";

const MiB = 1024 * 1024;

/** The parts of a Kernel the allocator uses; the current CPU is on node `cpuNode`. */
function setup(topology: Topology = parseTopology("nodes=2,cpus=1,mem=64M").topology, cpuNode = 0, features: Partial<Features> = {}) {
  const pages = new PageFrames(topology.nodes.map((n) => n.memBytes / PAGE_SIZE));
  const pa = new PageAllocator(topology, pages);
  const cost = COST_PROFILES["opteron-2012"];
  const k = {
    features: { ...BASELINE_FEATURES, ...features },
    pages,
    cpus: [{ id: 0, node: cpuNode, clock: 0 }],
    currentCpu: 0,
    // No task: nothing holds a user allocation to a cpuset (__GFP_HARDWALL reads current's mems).
    current: null,
    cost,
    bus: new MemoryBus(topology, cost),
    vm: newVmCounters(topology.nodes.length),
    sysctl: { has: () => false, get: () => 0 },
    charge(ns: number) {
      this.cpus[0].clock += ns;
    },
  };
  for (const n of topology.nodes) k.vm.nodeStat[n.id][NR_FREE_PAGES] = pa.nodeFreePages(n.id);
  return { k: k as unknown as Kernel, pa, pages, stat: (nid: number, item: number) => k.vm.nodeStat[nid][item] };
}

describe("page->_last_nid (step 37)", () => {
  it("is reset to -1 when a page is freed, with the field in a CONFIG_NUMA_BALANCING build", () => {
    const { k, pa, pages } = setup(undefined, 0, { lastNid: true, CONFIG_NUMA_BALANCING: true });
    expect(pageLastNid(k, 5)).toBe(LAST_NID_NONE); // memmap init
    const pfn = pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 1, null);
    pages.lastNid[pfn] = 0;
    expect(pageLastNid(k, pfn)).toBe(0);
    pa.freePages(k, pfn, 0);
    expect(pageLastNid(k, pfn)).toBe(LAST_NID_NONE);
    const head = pa.allocPages(k, GFP_TRANSHUGE, 9, 0, null);
    pages.lastNid.fill(1, head, head + HPAGE_PMD_NR);
    pa.freePages(k, head, 9);
    expect(pages.lastNid.subarray(head, head + HPAGE_PMD_NR).every((n) => n === LAST_NID_NONE)).toBe(true);
  });
});

describe("page allocator", () => {
  it("starts with every page free and PG_buddy set, but pfn 0, which no zone holds, and the reserved zero page", () => {
    const { pa, pages } = setup();
    expect(pa.nodeFreePages(0)).toBe((64 * MiB) / PAGE_SIZE - 2);
    expect(pages.flags.subarray(ZERO_PFN + 1).every((f) => f === PG_buddy)).toBe(true);
    // x86-64's pfn 0: a struct page memmap_init_zone never saw, all zeroes, so page_mapcount() is 1.
    expect(pages.flags[0]).toBe(0);
    expect(pageMapcount(pages, 0)).toBe(1);
    expect(FIRST_ZONE_PFN).toBe(ZERO_PFN);
    expect(pages.flags[ZERO_PFN]).toBe(PG_reserved);
    expect(pageMapcount(pages, ZERO_PFN)).toBe(0);
    expect(pageMapcount(pages, ZERO_PFN + 1)).toBe(0);
  });

  it("never hands out pfn 0, and the block holding it never backs a huge page", () => {
    const { k, pa } = setup(parseTopology("nodes=1,cpus=1,mem=16M").topology);
    const small: number[] = [];
    for (;;) {
      const p = pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, null);
      if (p < 0) break;
      small.push(p);
    }
    expect(small).not.toContain(0);
    for (const p of small) pa.freePages(k, p, 0);
    const huge: number[] = [];
    for (let p; (p = pa.allocPages(k, GFP_TRANSHUGE, 9, 0, null)) >= 0; ) huge.push(p);
    expect(huge.length).toBeGreaterThan(0);
    expect(huge).not.toContain(0);
  });

  it("order-0 pages come from one block, keeping whole blocks for THP", () => {
    const { k, pa } = setup();
    const a = pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, null);
    const b = pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, null);
    expect(b >> 9).toBe(a >> 9);
    const huge = pa.allocPages(k, GFP_TRANSHUGE, 9, 0, null);
    expect(huge % HPAGE_PMD_NR).toBe(0);
    expect(huge >> 9).not.toBe(a >> 9);
    // A page freed into a full block is reused before another whole block is split.
    const block: number[] = [];
    for (let i = 0; i < 600; i++) block.push(pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, null));
    pa.freePages(k, block[5], 0);
    const whole = countOrder9(k, pa);
    for (let i = 0; i < 10; i++) pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, null);
    expect(countOrder9(k, pa)).toBe(whole);
    for (let i = 0; i < 512; i++) pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, null);
    expect(countOrder9(k, pa)).toBe(whole - 1);
  });

  it("order-9 allocation sets up a compound page and counts 512 pages", () => {
    const { k, pa, pages, stat } = setup();
    const free0 = pa.nodeFreePages(0);
    const head = pa.allocPages(k, GFP_TRANSHUGE, 9, 0, null);
    expect(pages.flags[head]).toBe(PG_head);
    expect(pages.flags[head + 1]).toBe(PG_tail);
    expect(pages.refcount[head]).toBe(1);
    expect(k.vm.events[PGALLOC_NORMAL]).toBe(512);
    expect(stat(0, NR_FREE_PAGES)).toBe(free0 - 512);
    pages.lastNid[head + 3] = 1;
    pa.freePages(k, head, 9);
    expect(pages.flags[head + 3]).toBe(PG_buddy);
    // Before step 37 there is no page->_last_nid: nothing resets it, page_last_nid is page_to_nid.
    expect(pages.lastNid[head + 3]).toBe(1);
    expect(pageLastNid(k, head + 3)).toBe(0);
    expect(k.vm.events[PGFREE]).toBe(512);
    expect(stat(0, NR_FREE_PAGES)).toBe(free0);
  });

  it("refuses a double free", () => {
    const { k, pa } = setup();
    const p = pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, null);
    pa.freePages(k, p, 0);
    expect(() => {
      pa.freePages(k, p, 0);
    }).toThrow(/already free/);
  });

  it("a block whose pages all come back is whole again for order-9", () => {
    const { k, pa } = setup(parseTopology("nodes=1,cpus=1,mem=16M").topology);
    const all: number[] = [];
    for (;;) {
      const p = pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, null);
      if (p < 0) break;
      all.push(p);
    }
    expect(pa.allocPages(k, GFP_TRANSHUGE, 9, 0, null)).toBe(-1);
    for (const p of all) pa.freePages(k, p, 0);
    // 8 blocks, but the last one would take the node below its min watermark (128 pages).
    expect(pa.watermarks(k)[0].min).toBe(128);
    expect(countOrder9(k, pa)).toBe(7);
  });

  it("falls back along the zonelist at the low watermark and counts NUMA miss/foreign", () => {
    const { k, pa, stat } = setup();
    const wm = pa.watermarks(k)[0];
    let pfn: number;
    let n = 0;
    while ((pfn = pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, null)) < 16384) n++;
    expect(pa.nodeFreePages(0)).toBe(wm.low);
    expect(pfn).toBeGreaterThanOrEqual(16384); // node 1's first pfn
    expect(stat(0, NUMA_HIT)).toBe(n);
    expect(stat(1, NUMA_MISS)).toBe(1);
    expect(stat(0, NUMA_FOREIGN)).toBe(1);
    expect(stat(1, NUMA_OTHER)).toBe(1);
    expect(stat(0, NUMA_LOCAL)).toBe(n);
    // GFP_THISNODE gives up at the low watermark; a bare __GFP_THISNODE digs down to min.
    expect(pa.allocPages(k, GFP_THISNODE, 0, 0, null)).toBe(-1);
    let got = 0;
    while (pa.allocPages(k, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE, 0, 0, null) >= 0) got++;
    expect(pa.nodeFreePages(0)).toBe(wm.min);
    expect(got).toBe(wm.low - wm.min);
    expect(pa.watermarkOk(k, 0, "min", 0)).toBe(false);
    expect(pa.watermarkOk(k, 1, "high", 100)).toBe(true);
  });

  it("honours the nodemask; the first allowed node is the preferred one", () => {
    const { k, pa, stat } = setup();
    const p = pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, nodeMask(1));
    expect(p).toBeGreaterThanOrEqual(16384);
    expect(stat(1, NUMA_HIT)).toBe(1);
    expect(stat(1, NUMA_OTHER)).toBe(1);
    expect(pa.allocPages(k, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE, 0, 0, nodeMask(1))).toBe(-1);
  });

  it("holds a user (__GFP_HARDWALL) allocation to the current task's cpuset, except an exact-node (__GFP_THISNODE) one, as 3.7's softwall check does", () => {
    const { k, pa, pages } = setup();
    (k as { current: unknown }).current = { memsAllowed: nodeMask(0) };
    // Preferring node 1, the cpuset of node 0 wins.
    expect(pageToNid(pages, pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 1, null))).toBe(0);
    // move_pages' and NUMA migration's targets (GFP_THISNODE) are not the caller's cpuset's business.
    expect(pageToNid(pages, pa.allocPages(k, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE, 0, 1, null))).toBe(1);
  });

  it("orders zonelists by SLIT distance, ties by node id", () => {
    const t = makeTopology({
      name: "t",
      memBytes: [16 * MiB, 16 * MiB, 16 * MiB, 16 * MiB],
      cpusPerNode: [1, 1, 1, 1],
      distance: [
        [10, 30, 20, 20],
        [30, 10, 20, 20],
        [20, 20, 10, 30],
        [20, 20, 30, 10],
      ],
    });
    const { pa } = setup(t);
    expect(pa.zonelist(0)).toEqual([0, 2, 3, 1]);
    expect(pa.zonelist(3)).toEqual([3, 0, 1, 2]);
  });

  it("derives watermarks from min_free_kbytes split by node size", () => {
    // 4 GiB: sqrt(4194304 * 16) = 8192 KiB = 2048 pages, half per node.
    const w = setupPerZoneWmarks([524288, 524288], 0);
    expect(w[0]).toEqual({ min: 1024, low: 1280, high: 1536 });
    expect(setupPerZoneWmarks([1000, 3000], 400)[1].min).toBe(75);
  });

  it("gives every block back whole after a million order-0 allocations and frees", () => {
    const { k, pa } = setup(parseTopology("nodes=1,cpus=1,mem=1G").topology);
    const held = new Int32Array(100000);
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < held.length; i++) held[i] = pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, null);
      for (let i = held.length - 1; i >= 0; i -= 2) pa.freePages(k, held[i], 0);
      for (let i = held.length - 2; i >= 0; i -= 2) pa.freePages(k, held[i], 0);
    }
    expect(pa.nodeFreePages(0)).toBe(262142);
    // Every block but pfn 0's is whole again; order-9 stops where the next one would cross the min watermark.
    const min = pa.watermarks(k)[0].min;
    expect(countOrder9(k, pa)).toBe(Math.min(511, Math.floor((262142 - min) / 512)));
  });
});

/** How many order-9 allocations node 0 can still satisfy (and give them back). */
function countOrder9(k: Kernel, pa: PageAllocator): number {
  const got: number[] = [];
  for (;;) {
    const p = pa.allocPages(k, GFP_TRANSHUGE, 9, 0, nodeMask(0));
    if (p < 0) break;
    got.push(p);
  }
  for (const p of got) pa.freePages(k, p, 9);
  return got.length;
}

describe("host memory", () => {
  it("holds nothing per page beyond struct page: free lists run through the free pages' page->index", () => {
    const { k, pa, pages } = setup();
    const perBlock = Object.values(pa).reduce((n: number, v) => n + (ArrayBuffer.isView(v) ? v.byteLength : 0), 0) / (pages.nrPages / HPAGE_PMD_NR);
    expect(perBlock).toBeLessThanOrEqual(16);
    // Free three pages of one block and take them back: LIFO, and each comes back with index 0.
    const got = [0, 1, 2].map(() => pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, null));
    for (const pfn of got) pages.index[pfn] = 7;
    for (const pfn of got) pa.freePages(k, pfn, 0);
    const again = [0, 1, 2].map(() => pa.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 0, null));
    expect(again).toEqual([...got].reverse());
    expect(again.map((pfn) => pages.index[pfn])).toEqual([0, 0, 0]);
  });
});
