/**
 * Step 36: each hinting fault accounted to a task lengthens its scan period by jiffies_to_msecs(2)
 * (8 ms at HZ=250), capped at numa_balancing_scan_period_max_ms (1600); and a pass may follow the
 * previous one after one period instead of two.
 */
import { describe, it, expect } from "vitest";
import { RUN_BUDGET_USED, TOUCH_STREAM, USER_BASE } from "@balancenuma/include-linux";
import { MB, MS, passes, rig } from "../test/numa-scan.js";

const regions = [{ at: 0, bytes: 4 * MB }];
const FAST = { "kernel.numa_balancing_scan_delay_ms": 100 };

describe("step 36: slowly increase the scanning period as NUMA faults are handled", () => {
  it("task_numa_fault grows the period by 8 ms per fault up to 1600 at 36; not at 35", () => {
    for (const [step, after1, after300] of [
      [36, 108, 1600],
      [35, 100, 100],
    ] as const) {
      const r = rig(step, regions);
      r.t.numaScanPeriod = 100;
      r.k.userApi(r.t); // run as the task (k.current)
      r.k.sched.taskNumaFault(r.k, 0, 1, true);
      expect(r.t.numaScanPeriod).toBe(after1);
      for (let i = 0; i < 300; i++) r.k.sched.taskNumaFault(r.k, 0, 1, true);
      expect(r.t.numaScanPeriod).toBe(after300);
    }
  });

  it("a task that keeps touching its memory takes hinting faults, which push its period to the max at 36", () => {
    const periods: number[] = [];
    for (const step of [36, 35]) {
      const r = rig(step, [{ at: 0, bytes: 4 * MB, interleave: true }], { sysctl: FAST });
      r.t.program = {
        run: (u) => {
          u.touch(USER_BASE, 1024, 4096, 64, false, TOUCH_STREAM);
          u.compute(u.budgetLeft());
          return RUN_BUDGET_USED;
        },
      };
      r.k.runFor(400 * MS);
      expect(passes(r.calls).length).toBeGreaterThan(0);
      periods.push(r.t.numaScanPeriod);
    }
    expect(periods).toEqual([1600, 100]);
  });

  it("a CPU-bound task gets a pass every period (100 ms) at 36, every two at 35", () => {
    const now = rig(36, regions, { sysctl: FAST });
    now.k.runFor(1100 * MS);
    const before = rig(35, regions, { sysctl: FAST });
    before.k.runFor(1100 * MS);
    const gaps = (js: number[]) => js.slice(1).map((j, i) => j - js[i]);
    // msecs_to_jiffies(100) = 25 jiffies; the tick that queues the work adds one.
    expect(Math.max(...gaps(passes(now.calls)))).toBeLessThanOrEqual(26);
    expect(Math.min(...gaps(passes(before.calls)))).toBeGreaterThanOrEqual(50);
    expect(passes(now.calls).length).toBeGreaterThanOrEqual(9);
    expect(passes(before.calls).length).toBeLessThanOrEqual(6);
  });
});
