/**
 * Step 35: task_numa_work marks nothing while the node of the CPU it runs on is rate limited
 * (migrate_ratelimited(numa_node_id()), asked after the numa_next_scan cmpxchg, so the pass slot
 * is used up). The saturated node is stood in for by a stub of k.migrate.migrateRatelimited.
 */
import { describe, it, expect } from "vitest";
import type { Kernel } from "@balancenuma/include-linux";
import { MB, MS, countNumaPtes, passes, rig } from "../test/numa-scan.js";

const regions = [{ at: 0, bytes: 4 * MB }];
const FAST = { "kernel.numa_balancing_scan_delay_ms": 100 };

function saturate(k: Kernel, saturated: (node: number) => boolean): number[] {
  const asked: number[] = [];
  k.migrate.migrateRatelimited = (_k, node) => {
    asked.push(node);
    return saturated(node);
  };
  return asked;
}

describe("step 35: rate limit setting of pte_numa if the node is saturated", () => {
  it("a task on a saturated node marks nothing at 35; at 34 it marks as usual", () => {
    const now = rig(35, regions, { cpu: 2, sysctl: FAST });
    const asked = saturate(now.k, () => true);
    now.k.runFor(600 * MS);
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set([1])); // the CPU's node (CPU 2 is on node 1)
    expect(now.calls).toEqual([]);
    expect(countNumaPtes(now.t.mm!)).toBe(0);

    const before = rig(34, regions, { cpu: 2, sysctl: FAST });
    const asked34 = saturate(before.k, () => true);
    before.k.runFor(600 * MS);
    expect(asked34).toEqual([]);
    expect(passes(before.calls).length).toBeGreaterThan(0);
    expect(countNumaPtes(before.t.mm!)).toBe(1024);
  });

  it("only the task's own node counts: saturation elsewhere does not stop it", () => {
    const now = rig(35, regions, { cpu: 0, sysctl: FAST });
    saturate(now.k, (node) => node === 1);
    now.k.runFor(300 * MS);
    expect(countNumaPtes(now.t.mm!)).toBe(1024);
  });
});
