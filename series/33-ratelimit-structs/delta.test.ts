/**
 * Step 33 "mm: numa: Structures for Migrate On Fault per NUMA migration rate limiting": each node
 * gets numabalancing_migrate_lock / _next_window / _nr_pages, set at boot to jiffies and 0.
 * Nothing uses them yet: misplaced-page migration is unchanged and charges nothing.
 */
import { describe, it, expect } from "vitest";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM } from "@balancenuma/include-linux";
import { PGMIGRATE_SUCCESS } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

/** Boot at `step`, migrate `n` pages of a process from node 0 to node 1 as hinting faults would. */
function migrateSome(step: number, n: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=1,mem=16M", thp: "never", debug: true });
  const pgdatAtBoot = k.topology.nodes.map((nd) => ({ ...k.migrate.misplaced.pgdat(k, nd.id) }));
  const t = k.createProcess({ cpusAllowed: 1n });
  const u = k.userApi(t);
  const addr = u.mmap(0, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  u.touch(addr, n, PAGE_SIZE, 64, true, TOUCH_STREAM);
  const vma = k.memory.findVma(t.mm!, addr)!;
  k.cpus[0].clock += 50_000_000; // some time after boot
  let moved = 0;
  for (let i = 0; i < n; i++) {
    const pfn = k.memory.followPage(k, vma, addr + i * PAGE_SIZE, 0);
    k.pages.refcount[pfn]++;
    moved += k.migrate.migrateMisplacedPage(k, pfn, 1);
  }
  k.checkInvariants();
  return { k, moved, pgdatAtBoot, pgdat: (node: number) => k.migrate.misplaced.pgdat(k, node) };
}

describe("step 33: per-node migration rate-limit state", () => {
  it("exists from step 33, starting at next_window = boot jiffies and nr_pages 0", () => {
    const before = migrateSome(32, 1);
    expect(before.pgdat(0)).toBeNull();
    expect(before.pgdat(1)).toBeNull();
    const after = migrateSome(33, 1);
    expect(after.pgdatAtBoot.map((s) => ({ nextWindow: s.nextWindow, nrPages: s.nrPages }))).toEqual([
      { nextWindow: 0, nrPages: 0 },
      { nextWindow: 0, nrPages: 0 },
    ]);
  });

  it("is not used yet: migrations are unchanged and charge nothing", () => {
    const before = migrateSome(32, 5);
    const after = migrateSome(33, 5);
    expect(after.moved).toBe(5);
    expect(before.moved).toBe(5);
    expect(after.k.vm.events[PGMIGRATE_SUCCESS]).toBe(before.k.vm.events[PGMIGRATE_SUCCESS]);
    expect(after.pgdat(1)).toMatchObject({ nextWindow: 0, nrPages: 0 });
  });
});
