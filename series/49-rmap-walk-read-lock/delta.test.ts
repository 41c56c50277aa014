/**
 * Step 49 "mm/rmap, migration: Make rmap_walk_anon() and try_to_unmap_anon() more scalable": the
 * rmap walkers (try_to_unmap, rmap_walk and so remove_migration_ptes, and split_huge_page) take
 * the anon_vma rwsem for read. Migrations of pages under one anon_vma on several CPUs at once no
 * longer wait for each other; writers (anon_vma_prepare, fork, vma changes) still exclude everyone.
 */
import { describe, it, expect } from "vitest";
import { THP_SPLIT } from "@balancenuma/vmstat";
import { THREADS, concurrentMovePages } from "../testing.js";

describe("step 49: rmap walks share the anon_vma lock", () => {
  it("threads migrating their own pages of one anon_vma at the same time stop waiting for each other", () => {
    const before = concurrentMovePages(48, { thp: false, pagesPerThread: 32, toNode: 1 });
    const after = concurrentMovePages(49, { thp: false, pagesPerThread: 32, toNode: 1 });
    expect(before.kind).toBe("rwsem");
    expect(after.kind).toBe("rwsem");
    expect(before.contended).toBeGreaterThan(0);
    expect(before.waitNs).toBeGreaterThan(0);
    expect(after.contended).toBe(0);
    expect(after.waitNs).toBe(0);
    // Less time to finish, and less system time (no sleeps and wake-ups on the lock).
    expect(after.makespan).toBeLessThan(before.makespan);
    expect(after.stime).toBeLessThan(before.stime);
    // The first thread to run never waited: it does the same work either way.
    expect(after.threads[0]).toEqual(before.threads[0]);
  });

  it("split_huge_page is a reader too: concurrent THP splits under one anon_vma no longer wait", () => {
    const before = concurrentMovePages(48, { thp: true, pagesPerThread: 1, toNode: 0 });
    const after = concurrentMovePages(49, { thp: true, pagesPerThread: 1, toNode: 0 });
    expect(before.k.vm.events[THP_SPLIT]).toBe(THREADS);
    expect(after.k.vm.events[THP_SPLIT]).toBe(THREADS);
    expect(before.waitNs).toBeGreaterThan(0);
    expect(after.waitNs).toBe(0);
    expect(after.makespan).toBeLessThan(before.makespan);
  });
});
