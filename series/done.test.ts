import { describe, expect, it } from "vitest";
import { HPAGE_PMD_NR } from "@balancenuma/include-linux";
import { _PAGE_PSE } from "@balancenuma/arch-x86-pgtable";
import { PGMIGRATE_SUCCESS, THP_SPLIT } from "@balancenuma/vmstat";
import { runWorkload } from "@balancenuma/workloads";
import { remoteThpSweep } from "./testing.js";

/** What the series is for, end to end: remote memory moves to its user at step 49 and never at step 0. */
describe("the series end to end", () => {
  const run = (step: number) =>
    runWorkload({ workload: "remote-memory", step, seconds: 6, topology: "nodes=2,cpus=2,mem=256M" }).report;

  it("at step 0 the remote buffer never moves; at step 49 it ends on the node its thread runs on", () => {
    const before = run(0).processes[0];
    expect(before.nodeMiB[1]).toBeLessThan(1);
    const after = run(49).processes[0];
    expect(after.nodeMiB[1]).toBeGreaterThan(0.95 * (after.nodeMiB[0] + after.nodeMiB[1]));
  });

  it("at step 49 a remote buffer of transparent huge pages ends local, moved as whole huge pages", () => {
    const k = remoteThpSweep(49, { mib: 64, seconds: 4 });
    const mm = [...k.tasks.values()][0].mm!;
    const pt = mm.pgtable;
    const hugeNodes: number[] = [];
    for (let i = 0; i < pt.pmdCount; i++) if (pt.pmdFlags[i] & _PAGE_PSE) hugeNodes.push(k.pages.nid[pt.pmdVal[i]]);
    expect(hugeNodes).toEqual(new Array(32).fill(1)); // 32 huge pmds, all on the thread's node
    expect(k.vm.events[THP_SPLIT]).toBe(0);
    expect(k.vm.events[PGMIGRATE_SUCCESS]).toBe(32 * HPAGE_PMD_NR);
  });

  it("numa_hint_faults exists from step 30, not at step 29", () => {
    const opts = { workload: "remote-memory", seconds: 0.2, topology: "nodes=2,cpus=2,mem=64M" };
    expect(runWorkload({ ...opts, step: 29 }).report.vmstat).not.toHaveProperty("numa_hint_faults");
    expect(runWorkload({ ...opts, step: 30 }).report.vmstat).toHaveProperty("numa_hint_faults");
  });
});
