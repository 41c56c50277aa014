/**
 * Step 43: set_numabalancing_state on a !CONFIG_SCHED_DEBUG kernel stores the boot choice in
 * numabalancing_enabled. Nothing in fair.c reads it, and the const feature mask has NUMA off
 * (step 42's default), so such a kernel never scans — at 43 as at 42. The delta is structural: the
 * variable exists and records the choice at 43; at 42 (where a !SCHED_DEBUG build had no variant
 * at all) it does not exist. SCHED_DEBUG kernels are unchanged.
 */
import { describe, it, expect } from "vitest";
import type { CfsScheduler } from "@balancenuma/sched-fair";
import { MB, MS, passes, rig } from "../test/numa-scan.js";

const regions = [{ at: 0, bytes: 4 * MB }];
const NODEBUG = { CONFIG_SCHED_DEBUG: false };
const enabledVar = (k: { sched: unknown }) => (k.sched as CfsScheduler).numabalancingEnabled;

describe("step 43: numa balancing control without SCHED_DEBUG", () => {
  it("numabalancing_enabled records the boot choice at 43 and does not exist at 42", () => {
    const on = rig(43, regions, { features: NODEBUG });
    expect(on.k.log.map((l) => l.text)).toContain("Enabling automatic NUMA balancing. Configure with numa_balancing= or sysctl");
    expect(enabledVar(on.k)).toBe(true);
    expect(enabledVar(rig(43, regions, { features: NODEBUG, cmdline: "numa_balancing=disable" }).k)).toBe(false);
    expect(enabledVar(rig(42, regions, { features: NODEBUG }).k)).toBeUndefined();
    expect(enabledVar(rig(43, regions).k)).toBeUndefined(); // SCHED_DEBUG: the feature bit is the state
  });

  it("a !SCHED_DEBUG kernel never scans, at 43 as at 42, even with numa_balancing=enable", () => {
    for (const step of [43, 42]) {
      for (const cmdline of ["", "numa_balancing=enable"]) {
        const r = rig(step, regions, { features: NODEBUG, cmdline, cpusAllowed: 0b1111n });
        expect(r.k.sched.schedFeat("NUMA")).toBe(false);
        expect(r.k.sysctl.has("kernel.numa_balancing_scan_delay_ms")).toBe(false);
        r.k.runFor(1500 * MS);
        expect(r.t.se.sumExecRuntime).toBeGreaterThan(1000 * MS);
        expect(r.calls).toEqual([]);
      }
    }
    expect(() => rig(43, regions, { features: NODEBUG, schedFeatures: ["NUMA"] })).toThrow(/CONFIG_SCHED_DEBUG/);
  });

  it("with SCHED_DEBUG the same task is scanned (boot enables NUMA on a two-node machine)", () => {
    const r = rig(43, regions, { cpusAllowed: 0b1111n });
    expect(r.k.sched.schedFeat("NUMA")).toBe(true);
    r.k.runFor(1500 * MS);
    expect(passes(r.calls).length).toBeGreaterThan(0);
  });
});
