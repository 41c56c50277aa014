/**
 * Step 44: delay pte scanning until a task of the mm runs on a node other than the first one
 * seen (mm->first_nid; NUMA_PTE_SCAN_INIT from dup_mm, ACTIVE once it moved). NUMA_FORCE, a new
 * sched feature, scans anyway. Quirk kept: an mm from newMm (exec) starts with first_nid 0.
 */
import { describe, it, expect } from "vitest";
import { NUMA_PTE_SCAN_ACTIVE, NUMA_PTE_SCAN_INIT } from "@balancenuma/include-linux";
import { MB, MS, passes, rig, spinner } from "../test/numa-scan.js";

const regions = [{ at: 0, bytes: 4 * MB }];
const FAST = { "kernel.numa_balancing_scan_delay_ms": 100 };
const NODE0 = 0b0011n; // CPUs 0-1
const NODE1 = 0b1100n; // CPUs 2-3

describe("step 44: delay pte scanning until a task is scheduled on a new node", () => {
  it("a process that stays on node 0 is never scanned at 44; at 43 it is; NUMA_FORCE scans it", () => {
    const now = rig(44, regions, { cpusAllowed: NODE0, sysctl: FAST, schedFeatures: ["NUMA"] });
    now.k.runFor(1000 * MS);
    expect(now.calls).toEqual([]);
    expect(now.t.mm!.firstNid).toBe(0);

    const before = rig(43, regions, { cpusAllowed: NODE0, sysctl: FAST, schedFeatures: ["NUMA"] });
    before.k.runFor(1000 * MS);
    expect(passes(before.calls).length).toBeGreaterThan(0);
    expect(() => rig(43, regions, { schedFeatures: ["NUMA_FORCE"] })).toThrow(/no 'NUMA_FORCE'/);

    const forced = rig(44, regions, { cpusAllowed: NODE0, sysctl: FAST, schedFeatures: ["NUMA", "NUMA_FORCE"] });
    forced.k.runFor(1000 * MS);
    expect(passes(forced.calls).length).toBeGreaterThan(0);
    expect(forced.t.mm!.firstNid).toBe(NUMA_PTE_SCAN_ACTIVE);
  });

  it("scanning starts once the task runs on another node, and stays on", () => {
    const r = rig(44, regions, { cpusAllowed: NODE0, sysctl: FAST, schedFeatures: ["NUMA"] });
    r.k.runFor(500 * MS);
    expect(r.calls).toEqual([]);
    expect(r.k.userApi(r.t).schedSetaffinity(0, NODE1)).toBe(0);
    r.k.runFor(300 * MS);
    expect(passes(r.calls).length).toBeGreaterThan(0);
    expect(r.t.mm!.firstNid).toBe(NUMA_PTE_SCAN_ACTIVE);
    const n = passes(r.calls).length;
    expect(r.k.userApi(r.t).schedSetaffinity(0, NODE0)).toBe(0);
    r.k.runFor(300 * MS);
    expect(passes(r.calls).length).toBeGreaterThan(n);
  });

  it("first_nid: a forked mm starts INIT and stays unscanned on its node; an exec'd (newMm) one counts as node 0", () => {
    const parent = rig(44, regions, { cpusAllowed: NODE1, sysctl: FAST, schedFeatures: ["NUMA"] });
    // newMm leaves first_nid 0: a process living on node 1 looks as if it had moved.
    parent.k.runFor(300 * MS);
    expect(passes(parent.calls).some((j) => j > 0)).toBe(true);
    const child = parent.k.forkProcess(parent.t, spinner(), "child");
    expect(child.mm!.firstNid).toBe(NUMA_PTE_SCAN_INIT);
    parent.k.runFor(600 * MS);
    expect(child.se.sumExecRuntime).toBeGreaterThan(200 * MS);
    expect(parent.calls.filter((c) => c.pid === child.pid)).toEqual([]);
    expect(child.mm!.firstNid).toBeGreaterThanOrEqual(0); // recorded on the first work run
  });
});
