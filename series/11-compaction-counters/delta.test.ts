/**
 * Step 11 "mm: compaction: Add scanned and isolated counters for compaction": three new
 * /proc/vmstat lines before compact_stall. The model has no compaction (no fragmentation to
 * repair: THP allocations take whole free blocks or fail), so they appear and stay 0.
 */
import { describe, it, expect } from "vitest";
import { MAP_ANONYMOUS, MAP_PRIVATE, MPOL_MF_MOVE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM } from "@balancenuma/include-linux";
import { vmstatEntries } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

function vmstat(step: number): [string, number][] {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=1,mem=32M", debug: true });
  const u = k.userApi(k.createProcess({ cpusAllowed: 1n }));
  const a = u.mmap(0, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  u.touch(a, 1024, PAGE_SIZE, 64, true, TOUCH_STREAM);
  u.movePages(0, [a], [1], [], MPOL_MF_MOVE);
  k.checkInvariants();
  return vmstatEntries(k.vm, k.features);
}

describe("step 11: compaction scanned/isolated counters", () => {
  it("adds compact_migrate_scanned, compact_free_scanned, compact_isolated before compact_stall", () => {
    const before = vmstat(10);
    const after = vmstat(11);
    const names = after.map(([n]) => n);
    const i = names.indexOf("compact_migrate_scanned");
    expect(names.slice(i - 1, i + 4)).toEqual(["pgmigrate_fail", "compact_migrate_scanned", "compact_free_scanned", "compact_isolated", "compact_stall"]);
    for (const [n, v] of after) if (n.startsWith("compact_")) expect(v).toBe(0);
    expect(before.map(([n]) => n)).not.toContain("compact_isolated");
    // Everything else is the same, values included.
    expect(after.filter(([n]) => !["compact_migrate_scanned", "compact_free_scanned", "compact_isolated"].includes(n))).toEqual(before);
  });
});
