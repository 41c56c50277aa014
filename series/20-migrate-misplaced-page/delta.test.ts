/**
 * Step 20 "mm: migrate: Introduce migrate_misplaced_page()". Compiled only with
 * CONFIG_NUMA_BALANCING (which no real build of this step can select) and with no caller yet,
 * so the tests force the config and call it as do_numa_page will: with a page reference taken.
 * What the step adds: unshared pages move to the node (async, reason MR_NUMA_MISPLACED, printed
 * "0x5" as the trace table has no string for it), shared ones never, and a target node at its
 * high watermark refuses, leaking the caller's reference (fixed by step 21): the page can no
 * longer be freed.
 */
import { describe, it, expect } from "vitest";
import {
  EAGAIN,
  GFP_KERNEL,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PAGE_SIZE,
  PG_buddy,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  nodeMask,
  pageMapcount,
  pageToNid,
} from "@balancenuma/include-linux";
import { PGMIGRATE_SUCCESS } from "@balancenuma/vmstat";
import { type KernelInstance } from "@balancenuma/kernel";
import { bootAtStep } from "../boot.js";

/** A kernel at `step` with a process on CPU 0 owning one page on node 0; returns the page's pfn. */
function onePage(step: number, forceConfig = true) {
  const k = bootAtStep({
    step,
    topology: "nodes=2,cpus=1,mem=16M",
    thp: "never",
    debug: true,
    trace: ["migrate:mm_migrate_pages"],
    features: forceConfig ? { CONFIG_NUMA_BALANCING: true } : {},
  });
  const t = k.createProcess({ cpusAllowed: 1n });
  const u = k.userApi(t);
  const addr = u.mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  expect(u.touch(addr, 1, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(1);
  const pfnAt = () => k.memory.followPage(k, k.memory.findVma(t.mm!, addr)!, addr, 0);
  return { k, t, u, addr, pfn: pfnAt(), pfnAt };
}

/** do_numa_page's part: get_page, then migrate_misplaced_page. */
function migrateMisplaced(k: KernelInstance, pfn: number, node: number): number {
  k.pages.refcount[pfn]++;
  return k.migrate.migrateMisplacedPage(k, pfn, node);
}

/** Allocate on `nid` until it is down to its high watermark + 1 (migrate_balanced_pgdat fails). */
function fillNode(k: KernelInstance, nid: number): void {
  while (k.pageAlloc.watermarkOk(k, nid, "high", 1)) expect(k.pageAlloc.allocPages(k, GFP_KERNEL, 0, nid, nodeMask(nid))).toBeGreaterThanOrEqual(0);
}

describe("step 20: migrate_misplaced_page", () => {
  it("moves an unshared page to the node: MIGRATE_ASYNC, reason=0x5, pgmigrate_success; step 19 has only the stub", () => {
    const before = onePage(19);
    expect(migrateMisplaced(before.k, before.pfn, 1)).toBe(-EAGAIN);
    expect(pageToNid(before.k.pages, before.pfnAt())).toBe(0);

    const { k, pfn, pfnAt } = onePage(20);
    expect(migrateMisplaced(k, pfn, 1)).toBe(1);
    expect(pageToNid(k.pages, pfnAt())).toBe(1);
    expect(k.pages.refcount[pfnAt()]).toBe(1);
    expect(k.pages.flags[pfn] & PG_buddy).toBeTruthy();
    expect(k.vm.events[PGMIGRATE_SUCCESS]).toBe(1);
    expect(k.trace.events.map((e) => e.text)).toEqual(["nr_succeeded=1 nr_failed=0 mode=MIGRATE_ASYNC reason=0x5"]);
    k.checkInvariants();
  });

  it("is compiled out of a real step-20 build (no CONFIG_NUMA_BALANCING): the stub says -EAGAIN", () => {
    const { k, pfn } = onePage(20, false);
    expect(migrateMisplaced(k, pfn, 1)).toBe(-EAGAIN);
  });

  it("never moves a page mapped by two processes, and drops the caller's reference", () => {
    const { k, t, u, pfn } = onePage(20);
    u.fork({ run: (cu) => cu.sleep(1e12) }, "child");
    k.userApi(t);
    expect(pageMapcount(k.pages, pfn)).toBe(2);
    const ref = k.pages.refcount[pfn];
    expect(migrateMisplaced(k, pfn, 1)).toBe(0);
    expect(k.pages.refcount[pfn]).toBe(ref);
    expect(pageToNid(k.pages, pfn)).toBe(0);
  });

  it("refuses a full target node and leaks the caller's reference: after munmap the page stays allocated", () => {
    const { k, u, addr, pfn } = onePage(20);
    fillNode(k, 1);
    expect(migrateMisplaced(k, pfn, 1)).toBe(0);
    expect(k.pages.refcount[pfn]).toBe(2);
    expect(u.munmap(addr, PAGE_SIZE)).toBe(0);
    // Unmapped but pinned by the lost reference: out of the free lists for good, with no mapping.
    expect(pageMapcount(k.pages, pfn)).toBe(0);
    expect(k.pages.refcount[pfn]).toBe(1);
    expect(k.pages.flags[pfn] & PG_buddy).toBe(0);
    k.checkInvariants();
    k.runFor(20_000_000);
    expect(k.pages.flags[pfn] & PG_buddy).toBe(0);
  });
});
