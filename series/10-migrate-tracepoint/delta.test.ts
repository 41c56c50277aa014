/**
 * Step 10 "mm: migrate: Add a tracepoint for migrate_pages": each migrate_pages() call emits one
 * migrate:mm_migrate_pages event at its exit label, with the counts that went into the step-09
 * counters, the migrate mode and the caller's migrate_reason. Nothing else changes.
 */
import { describe, it, expect } from "vitest";
import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_BIND,
  MPOL_MF_MOVE,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  nodeMask,
  MR_CMA,
  MR_NUMA_MISPLACED,
} from "@balancenuma/include-linux";
import { vmstatEntries } from "@balancenuma/vmstat";
import { migrateReasonString } from "@balancenuma/mm-migrate";
import { bootAtStep } from "../boot.js";

/** move_pages (3 pages), mbind with MPOL_MF_MOVE (2 pages) and migrate_pages(2) (the rest) at `step`. */
function run(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=1,mem=32M", thp: "never", debug: true, trace: ["migrate:mm_migrate_pages"] });
  const u = k.userApi(k.createProcess({ cpusAllowed: 1n }));
  const a = u.mmap(0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  expect(u.touch(a, 8, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(8);
  const pages = [0, 1, 2].map((i) => a + i * PAGE_SIZE);
  expect(u.movePages(0, pages, [1, 1, 1], [], MPOL_MF_MOVE)).toBe(0);
  expect(u.mbind(a + 3 * PAGE_SIZE, 2 * PAGE_SIZE, MPOL_BIND, nodeMask(1), 3, MPOL_MF_MOVE)).toBe(0);
  expect(u.migratePages(0, 3, nodeMask(0), nodeMask(1))).toBe(0);
  k.checkInvariants();
  return k;
}

describe("step 10: the mm_migrate_pages tracepoint", () => {
  it("emits one line per migrate_pages call with counts, mode and reason; none before step 10", () => {
    expect(run(9).trace.events).toHaveLength(0);
    const k = run(10);
    expect(k.trace.events.map((e) => `${e.event} ${e.text}`)).toEqual([
      "migrate:mm_migrate_pages nr_succeeded=3 nr_failed=0 mode=MIGRATE_SYNC reason=syscall_or_cpuset",
      "migrate:mm_migrate_pages nr_succeeded=2 nr_failed=0 mode=MIGRATE_SYNC reason=mempolicy_mbind",
      "migrate:mm_migrate_pages nr_succeeded=3 nr_failed=0 mode=MIGRATE_SYNC reason=syscall_or_cpuset",
    ]);
    expect(k.trace.render()).toContain(" mm_migrate_pages: nr_succeeded=3 nr_failed=0 mode=MIGRATE_SYNC reason=syscall_or_cpuset");
  });

  it("changes no counter", () => {
    const [before, after] = [run(9), run(10)];
    expect(vmstatEntries(after.vm, after.features)).toEqual(vmstatEntries(before.vm, before.features));
  });

  it("has the six reasons of the step's enum (MR_CMA is 5 until step 20 inserts MR_NUMA_MISPLACED)", () => {
    expect([0, 1, 2, 3, 4, 5].map((r) => migrateReasonString(r, false))).toEqual([
      "compaction",
      "memory_failure",
      "memory_hotplug",
      "syscall_or_cpuset",
      "mempolicy_mbind",
      "cma",
    ]);
    expect(migrateReasonString(MR_NUMA_MISPLACED, true)).toBe("0x5");
    expect(migrateReasonString(MR_CMA, true)).toBe("cma");
  });
});
