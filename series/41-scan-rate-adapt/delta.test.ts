/**
 * Step 41: adapt the scanning rate if a hinting fault does not migrate. The period grows by
 * jiffies_to_msecs(10) (40 ms at HZ=250) only for faults that did not migrate (36's +8 ms for every
 * fault goes), up to a new max of 5000 ms; and every numa_balancing_scan_period_reset ms (60000,
 * a new sysctl) the task running the scan work snaps its period back to period_min.
 */
import { describe, it, expect } from "vitest";
import { MB, MS, rig } from "../test/numa-scan.js";

const regions = [{ at: 0, bytes: 4 * MB }];
const RESET = "kernel.numa_balancing_scan_period_reset";

describe("step 41: adapt the scanning rate to faults that do not migrate", () => {
  it("growth only for non-migrating faults, +40 ms, capped at 5000 (at 40: +8 ms for every fault, cap 1600)", () => {
    const grow = (step: number, migrated: boolean, n: number): number => {
      const r = rig(step, regions);
      r.t.numaScanPeriod = 100;
      r.k.userApi(r.t);
      for (let i = 0; i < n; i++) r.k.sched.taskNumaFault(r.k, 0, 1, migrated);
      return r.t.numaScanPeriod;
    };
    expect(grow(41, true, 1)).toBe(100);
    expect(grow(41, false, 1)).toBe(140);
    expect(grow(41, false, 1000)).toBe(5000);
    expect(grow(40, true, 1)).toBe(108);
    expect(grow(40, false, 1)).toBe(108);
    expect(grow(40, false, 1000)).toBe(1600);
  });

  it("numa_balancing_scan_period_reset exists (60000) and snaps a long period back to min", () => {
    const now = rig(41, regions, { sysctl: { "kernel.numa_balancing_scan_delay_ms": 100, [RESET]: 200 } });
    expect(rig(41, regions).k.sysctl.get(RESET)).toBe(60_000);
    const before = rig(40, regions, { sysctl: { "kernel.numa_balancing_scan_delay_ms": 100 } });
    expect(before.k.sysctl.has(RESET)).toBe(false);
    for (const r of [now, before]) {
      r.k.runFor(150 * MS); // first pass done, period_min now
      r.t.numaScanPeriod = 400; // as if non-migrating faults had slowed it
      r.k.runFor(1000 * MS);
    }
    expect(now.t.numaScanPeriod).toBe(100);
    expect(before.t.numaScanPeriod).toBe(400);
  });
});
