/**
 * Step 28: the scan budget counts updated ptes, not virtual range. Sparse ranges cost (almost)
 * nothing, so one pass walks much further than scan_size_mb; a dense range stops after the
 * budget at a 2 MB-aligned address; scan_size_mb = 0 turns marking off.
 */
import { describe, it, expect } from "vitest";
import { MB, MS, USER_BASE, countNumaPtes, passes, rig } from "../test/numa-scan.js";

// scan_size_mb = 4: a budget of 1024 ptes. 64 MB with one populated page per 2 MB (32 pages).
const SIZE = { "kernel.numa_balancing_scan_size_mb": 4 };
const sparse = [{ at: 0, bytes: 64 * MB, populate: (off: number) => off % (2 * MB) === 0 }];

describe("step 28: scan against present ptes", () => {
  it("a sparse 64 MB vma is marked whole in one pass (at 27 only the first 4 MB of it)", () => {
    const now = rig(28, sparse, { sysctl: SIZE });
    now.k.runFor(150 * MS);
    expect(passes(now.calls).length).toBe(1);
    expect(countNumaPtes(now.t.mm!)).toBe(32);
    expect(now.t.mm!.numaScanSeq).toBe(1); // walked off the end and wrapped

    const before = rig(27, sparse, { sysctl: SIZE });
    before.k.runFor(150 * MS);
    expect(passes(before.calls).length).toBe(1);
    expect(countNumaPtes(before.t.mm!)).toBe(2);
  });

  it("a dense vma stops once 1024 ptes were updated, 2 MB-aligned; scan_size_mb = 0 marks nothing", () => {
    const dense = rig(28, [{ at: 0, bytes: 16 * MB }], { sysctl: SIZE });
    dense.k.runFor(150 * MS);
    expect(countNumaPtes(dense.t.mm!)).toBe(1024);
    expect(dense.t.mm!.numaScanOffset).toBe(USER_BASE + 4 * MB);
    const zero = rig(28, [{ at: 0, bytes: 16 * MB }], { sysctl: { "kernel.numa_balancing_scan_size_mb": 0 } });
    zero.k.runFor(500 * MS);
    expect(zero.calls).toEqual([]);
  });
});
