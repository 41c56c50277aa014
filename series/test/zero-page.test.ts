/**
 * The shared zero page as 3.7 has it: a read fault on never-written private anonymous memory maps
 * empty_zero_page (special pte, read-only, no rmap, rss or NR_ANON_PAGES); the first write gives a
 * new zeroed page from the policy; every interface that sees the page answers as 3.7 does.
 */
import { describe, expect, it } from "vitest";
import {
  ENOENT,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_BIND,
  MPOL_MF_MOVE,
  MPOL_MF_MOVE_ALL,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  ZERO_PFN,
  nodeMask,
  pageMapcount,
  pageToNid,
} from "@balancenuma/include-linux";
import { renderNumaMaps } from "@balancenuma/kernel";
import { NR_ANON_PAGES, NUMA_PTE_UPDATES, PGFAULT } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const N = 8;

function boot(step = 0) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=64M", debug: true, thp: "never" });
  const t = k.createProcess({ comm: "zero", cpusAllowed: 0b1100n }); // runs on node 1
  const u = k.userApi(t);
  const a = u.mmap(0, N * PAGE_SIZE, RW, ANON);
  const pages = Array.from({ length: N }, (_, i) => a + i * PAGE_SIZE);
  return { k, t, u, a, pages };
}

const anonPages = (k: ReturnType<typeof boot>["k"]) => k.vm.nodeStat[0][NR_ANON_PAGES] + k.vm.nodeStat[1][NR_ANON_PAGES];

describe("the zero page", () => {
  it("a read maps it without a page, an rss or an anon page; the first write copies it to the policy's node", () => {
    const { k, t, u, a } = boot();
    const faults = k.vm.events[PGFAULT];
    const anon = anonPages(k);
    expect(u.touch(a, N, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(N);
    expect(k.vm.events[PGFAULT] - faults).toBe(N);
    expect(anonPages(k)).toBe(anon);
    expect(t.mm!.anonRss).toBe(0);
    const vma = k.memory.findVma(t.mm!, a)!;
    expect(k.memory.followPage(k, vma, a, 0)).toBe(ZERO_PFN);
    expect(pageMapcount(k.pages, ZERO_PFN)).toBe(0);
    // numa_maps: the vma has no page to show.
    expect(renderNumaMaps(k, t)).toMatch(/^[0-9a-f]+ default\n$/);
    // Reads again: no fault. A write: one more fault, a real page on the CPU's node.
    expect(u.touch(a, N, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(N);
    expect(k.vm.events[PGFAULT] - faults).toBe(N);
    expect(u.touch(a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(1);
    expect(k.vm.events[PGFAULT] - faults).toBe(N + 1);
    expect(anonPages(k)).toBe(anon + 1);
    expect(t.mm!.anonRss).toBe(1);
    const pfn = k.memory.followPage(k, vma, a, 0);
    expect(pfn).not.toBe(ZERO_PFN);
    expect(pageToNid(k.pages, pfn)).toBe(1);
    expect(renderNumaMaps(k, t)).toMatch(/ anon=1 dirty=1 active=0 N1=1\n$/);
    // munmap gives back the one page (and the page table); the zero page stays as it was.
    const free = k.pageAlloc.nodeFreePages(1);
    expect(u.munmap(a, N * PAGE_SIZE)).toBe(0);
    expect(k.pageAlloc.nodeFreePages(1)).toBe(free + 2); // the page and its pte page
    expect(k.pages.refcount[ZERO_PFN]).toBe(1);
  });

  it("move_pages reports it (and moves it) as -ENOENT, both with and without nodes", () => {
    const { u, a, pages } = boot();
    u.touch(a, N, PAGE_SIZE, 8, false, TOUCH_LATENCY);
    u.touch(a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    const status: number[] = [];
    expect(u.movePages(0, pages.slice(0, 2), null, status, 0)).toBe(0);
    expect(status).toEqual([1, -ENOENT]);
    expect(u.movePages(0, pages.slice(0, 2), [0, 0], status, MPOL_MF_MOVE_ALL)).toBe(0);
    expect(status).toEqual([0, -ENOENT]);
  });

  it("mbind and migrate_pages leave it alone", () => {
    const { k, u, a, pages } = boot();
    u.touch(a, N, PAGE_SIZE, 8, false, TOUCH_LATENCY);
    expect(u.mbind(a, N * PAGE_SIZE, MPOL_BIND, nodeMask(1), 3, MPOL_MF_MOVE)).toBe(0);
    expect(u.migratePages(0, 3, nodeMask(0), nodeMask(1))).toBe(0);
    const status: number[] = [];
    u.movePages(0, pages, null, status, 0);
    expect(status).toEqual(Array(N).fill(-ENOENT));
    expect(k.pages.refcount[ZERO_PFN]).toBe(1);
  });

  it("fork shares nothing for a zero-page-only region (no anon_vma): the child faults it in again", () => {
    const { k, u, a } = boot();
    u.touch(a, N, PAGE_SIZE, 8, false, TOUCH_LATENCY);
    const child = k.userApi(u.fork());
    const vma = k.memory.findVma(child.task.mm!, a)!;
    expect(k.memory.followPage(k, vma, a, 0)).toBe(-1);
    expect(child.touch(a, 1, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(1);
    expect(k.memory.followPage(k, vma, a, 0)).toBe(ZERO_PFN);
    // A region with a written page is copied: its zero-page ptes come along, without references.
    u.touch(a + PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    const child2 = k.userApi(u.fork());
    const vma2 = k.memory.findVma(child2.task.mm!, a)!;
    expect(k.memory.followPage(k, vma2, a, 0)).toBe(ZERO_PFN);
    expect(child2.task.mm!.anonRss).toBe(1);
    expect(k.pages.refcount[ZERO_PFN]).toBe(1);
  });

  it.each([26, 32, 40, 49])("NUMA hinting (step %i) never marks it", (step) => {
    const { k, t, u, a } = boot(step);
    u.touch(a, N, PAGE_SIZE, 8, false, TOUCH_LATENCY);
    const vma = k.memory.findVma(t.mm!, a)!;
    const before = k.vm.events[NUMA_PTE_UPDATES] ?? 0;
    expect(k.mempolicy.changeProtNuma(k, vma, a, a + N * PAGE_SIZE)).toBe(0);
    expect(k.vm.events[NUMA_PTE_UPDATES] ?? 0).toBe(before);
    u.touch(a, 2, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    expect(k.mempolicy.changeProtNuma(k, vma, a, a + N * PAGE_SIZE)).toBe(2);
  });
});
