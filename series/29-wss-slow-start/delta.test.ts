/**
 * Step 29: slow start. A new task's first scan period is numa_balancing_scan_delay_ms (1000) of
 * CPU, not period_min (100); after that first expiry it scans at period_min.
 */
import { describe, it, expect } from "vitest";
import { MB, MS, countNumaPtes, passes, rig } from "../test/numa-scan.js";

const regions = [{ at: 0, bytes: 4 * MB }];

describe("step 29: slow start for working-set sampling", () => {
  it("no marking before 1000 ms of CPU at 29; at 28 after ~100 ms", () => {
    const now = rig(29, regions);
    now.k.runFor(990 * MS);
    expect(now.calls).toEqual([]);
    expect(now.t.numaScanPeriod).toBe(1000);
    now.k.runFor(60 * MS);
    expect(passes(now.calls).length).toBe(1);
    expect(countNumaPtes(now.t.mm!)).toBe(1024);
    expect(now.t.numaScanPeriod).toBe(100); // first expiry switched to period_min

    const before = rig(28, regions);
    before.k.runFor(150 * MS);
    expect(passes(before.calls).length).toBe(1);
    expect(before.k.sysctl.has("kernel.numa_balancing_scan_delay_ms")).toBe(false);
  });

  it("the delay is a sysctl read at fork", () => {
    const short = rig(29, regions, { sysctl: { "kernel.numa_balancing_scan_delay_ms": 200 } });
    short.k.runFor(250 * MS);
    expect(passes(short.calls).length).toBe(1);
  });
});
