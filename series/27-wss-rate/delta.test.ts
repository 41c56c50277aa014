/**
 * Step 27: constant per-task working-set sampling rate. A pass marks at most
 * numa_balancing_scan_size_mb (256) of virtual range, resuming at mm->numa_scan_offset; vmas
 * smaller than 2 MB are skipped; period_min drops to 100 ms. At 26 a pass marks everything.
 */
import { describe, it, expect } from "vitest";
import { MB, MS, USER_BASE, countNumaPtes, passes, rig } from "../test/numa-scan.js";

// A 1 MB vma, then 600 MB of which one page per 2 MB is populated (300 pages), then 4 MB. (The
// trailing vma matters: v10's loop steps to the next vma after the last piece, so a budget that
// runs out inside the *last* vma wraps the scan instead of storing the offset.)
const sparse = (off: number) => off % (2 * MB) === 0;
const regions = [
  { at: 0, bytes: 1 * MB },
  { at: 64 * MB, bytes: 600 * MB, populate: sparse },
  { at: 1024 * MB, bytes: 4 * MB },
];
const BIG = USER_BASE + 64 * MB;

describe("step 27: WSS rate — 256 MB of virtual range per pass", () => {
  it("the first pass marks the first 256 MB of the big vma and skips the small one; the next resumes there", () => {
    const now = rig(27, regions);
    now.k.runFor(150 * MS); // first tick after 100 ms of CPU (period_min 100)
    expect(passes(now.calls).length).toBe(1);
    expect(now.calls).toEqual([expect.objectContaining({ start: BIG, end: BIG + 256 * MB })]);
    const mm = now.t.mm!;
    expect(countNumaPtes(mm, USER_BASE, USER_BASE + 1 * MB)).toBe(0);
    expect(countNumaPtes(mm)).toBe(128);
    expect(mm.numaScanOffset).toBe(BIG + 256 * MB);
    now.k.runFor(250 * MS); // next pass two periods (200 ms) later
    expect(passes(now.calls).length).toBe(2);
    expect(now.calls[1]).toEqual(expect.objectContaining({ start: BIG + 256 * MB, end: BIG + 512 * MB }));
    expect(countNumaPtes(mm)).toBe(256);
    expect(mm.numaScanSeq).toBe(0); // only a wrap bumps it now
  });

  it("at 26 (same 100 ms period via sysctl) one pass marks every vma whole", () => {
    const before = rig(26, regions, { sysctl: { "kernel.numa_balancing_scan_period_min_ms": 100 } });
    before.k.runFor(150 * MS);
    expect(passes(before.calls).length).toBe(1);
    expect(countNumaPtes(before.t.mm!)).toBe(256 + 300 + 1024);
    expect(before.k.sysctl.has("kernel.numa_balancing_scan_size_mb")).toBe(false);
  });
});
