/**
 * Step 26: the scanner arrives (task_tick_numa / task_numa_work, CONFIG_NUMA_BALANCING selectable).
 * A task that has used more than numa_balancing_scan_period_min_ms (5000) of CPU gets every
 * migratable vma marked pte_numa, whole; at step 25 nothing is ever marked.
 */
import { describe, it, expect } from "vitest";
import { MB, MS, countNumaPtes, passes, rig } from "../test/numa-scan.js";

// 8 MB fully populated, plus a 1 MB vma (marked too at this step: no small-vma filter yet).
const regions = [
  { at: 0, bytes: 8 * MB },
  { at: 64 * MB, bytes: 1 * MB },
];

describe("step 26: fault-driven placement — the NUMA scanner", () => {
  it("marks the whole address space after > 5 s of CPU; step 25 never marks", () => {
    const now = rig(26, regions);
    now.k.runFor(4900 * MS);
    expect(now.calls).toEqual([]);
    expect(countNumaPtes(now.t.mm!)).toBe(0);
    now.k.runFor(200 * MS);
    expect(now.t.se.sumExecRuntime).toBeGreaterThan(5000 * MS);
    expect(passes(now.calls).length).toBe(1);
    expect(countNumaPtes(now.t.mm!)).toBe(9 * 256); // every populated pte of both vmas
    expect(now.t.mm!.numaScanSeq).toBe(1); // bumped by every pass

    const before = rig(25, regions);
    before.k.runFor(5100 * MS);
    expect(before.calls).toEqual([]);
    expect(countNumaPtes(before.t.mm!)).toBe(0);
  });

  it("the NUMA sched feature exists (default on) and NO_NUMA stops the scanner", () => {
    const off = rig(26, regions, { schedFeatures: ["NO_NUMA"], sysctl: { "kernel.numa_balancing_scan_period_min_ms": 100 } });
    off.k.runFor(1000 * MS);
    expect(off.calls).toEqual([]);
    const on = rig(26, regions, { sysctl: { "kernel.numa_balancing_scan_period_min_ms": 100 } });
    expect(on.k.sched.schedFeat("NUMA")).toBe(true);
    on.k.runFor(1000 * MS);
    // Passes at most every 2 x period of wall time: 1 s with a 100 ms period gives at most 5.
    const p = passes(on.calls);
    expect(p.length).toBeGreaterThanOrEqual(4);
    expect(p.length).toBeLessThanOrEqual(5);
    expect(on.k.sched.schedFeatNames()).toContain("NUMA");
    expect(() => rig(25, regions, { schedFeatures: ["NO_NUMA"] })).toThrow(/no 'NO_NUMA'/);
  });
});
