/**
 * Step 09 "mm: compaction: Move migration fail/success stats to migrate.c": migrate_pages() counts
 * pgmigrate_success / pgmigrate_fail for every caller (move_pages(2) included), and /proc/vmstat
 * trades compaction's three move counters for the two new lines, placed after pgrotated.
 */
import { describe, it, expect } from "vitest";
import { MAP_ANONYMOUS, MAP_PRIVATE, MPOL_MF_MOVE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM } from "@balancenuma/include-linux";
import { PGMIGRATE_FAIL, PGMIGRATE_SUCCESS, vmstatEntries } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

/** A kernel at `step` after move_pages(2) moved `n` pages of a process from node 0 to node 1. */
function movePages(step: number, n: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=1,mem=32M", thp: "never", debug: true });
  const u = k.userApi(k.createProcess({ cpusAllowed: 1n }));
  const a = u.mmap(0, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  expect(u.touch(a, n, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(n);
  const pages = Array.from({ length: n }, (_, i) => a + i * PAGE_SIZE);
  const status: number[] = [];
  expect(
    u.movePages(
      0,
      pages,
      pages.map(() => 1),
      status,
      MPOL_MF_MOVE,
    ),
  ).toBe(0);
  expect(status).toEqual(pages.map(() => 1));
  k.checkInvariants();
  return { k, names: vmstatEntries(k.vm, k.features).map(([name]) => name) };
}

describe("step 09: migration success/fail stats in migrate_pages", () => {
  it("move_pages of N pages raises pgmigrate_success by N only from step 09", () => {
    const before = movePages(8, 7);
    const after = movePages(9, 7);
    expect(before.k.vm.events[PGMIGRATE_SUCCESS]).toBe(0);
    expect(after.k.vm.events[PGMIGRATE_SUCCESS]).toBe(7);
    expect(after.k.vm.events[PGMIGRATE_FAIL]).toBe(0);
  });

  it("/proc/vmstat loses compact_blocks_moved, compact_pages_moved, compact_pagemigrate_failed and gains pgmigrate_* after pgrotated", () => {
    const before = movePages(8, 1).names;
    const after = movePages(9, 1).names;
    const moved = ["compact_blocks_moved", "compact_pages_moved", "compact_pagemigrate_failed"];
    for (const n of moved) {
      expect(before).toContain(n);
      expect(after).not.toContain(n);
    }
    expect(before).not.toContain("pgmigrate_success");
    const i = after.indexOf("pgrotated");
    expect(after.slice(i, i + 4)).toEqual(["pgrotated", "pgmigrate_success", "pgmigrate_fail", "compact_stall"]);
    // Nothing else changes.
    expect(after.filter((n) => !n.startsWith("pgmigrate_"))).toEqual(before.filter((n) => !moved.includes(n)));
    expect(after.length).toBe(before.length - 1);
  });
});
