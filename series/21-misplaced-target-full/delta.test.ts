/**
 * Step 21 "mm: migrate: Drop the misplaced pages reference count if the target node is full":
 * migrate_misplaced_page drops the caller's reference on the not-balanced path too, so a refused
 * page can be freed again. Compiled only with CONFIG_NUMA_BALANCING: the tests force it.
 */
import { describe, it, expect } from "vitest";
import { GFP_KERNEL, MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PG_buddy, PROT_READ, PROT_WRITE, TOUCH_STREAM, nodeMask } from "@balancenuma/include-linux";
import { NR_FREE_PAGES, PGMIGRATE_SUCCESS } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

/** Refuse a migration to a full node at `step`, then munmap the page. */
function refusedThenUnmapped(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=1,mem=16M", thp: "never", debug: true, features: { CONFIG_NUMA_BALANCING: true } });
  const t = k.createProcess({ cpusAllowed: 1n });
  const u = k.userApi(t);
  const addr = u.mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  u.touch(addr, 1, PAGE_SIZE, 64, true, TOUCH_STREAM);
  const pfn = k.memory.followPage(k, k.memory.findVma(t.mm!, addr)!, addr, 0);
  while (k.pageAlloc.watermarkOk(k, 1, "high", 1)) k.pageAlloc.allocPages(k, GFP_KERNEL, 0, 1, nodeMask(1));
  const ref = k.pages.refcount[pfn];
  k.pages.refcount[pfn]++; // do_numa_page's get_page
  const r = k.migrate.migrateMisplacedPage(k, pfn, 1);
  const refAfter = k.pages.refcount[pfn];
  const free0 = k.vm.nodeStat[0][NR_FREE_PAGES];
  expect(u.munmap(addr, PAGE_SIZE)).toBe(0);
  k.checkInvariants();
  return { k, r, ref, refAfter, freed: k.vm.nodeStat[0][NR_FREE_PAGES] - free0, buddy: (k.pages.flags[pfn] & PG_buddy) !== 0 };
}

describe("step 21: the refused page's reference is dropped", () => {
  it("after a refusal for lack of room the refcount is back to its value before the call, and munmap frees the page", () => {
    const before = refusedThenUnmapped(20);
    const after = refusedThenUnmapped(21);
    expect(before.r).toBe(0);
    expect(after.r).toBe(0);
    expect(before.refAfter).toBe(before.ref + 1);
    expect(after.refAfter).toBe(after.ref);
    expect(before.buddy).toBe(false);
    expect(after.buddy).toBe(true);
    expect(after.freed).toBe(before.freed + 1); // munmap also gives back the pte page in both
    expect(after.k.vm.events[PGMIGRATE_SUCCESS]).toBe(0);
  });
});
