import { describe, expect, it } from "vitest";
import { HPAGE_PMD_NR, pageToNid } from "@balancenuma/include-linux";
import { _PAGE_PSE } from "@balancenuma/arch-x86-pgtable";
import { PGMIGRATE_SUCCESS, THP_SPLIT, vmstatEntries } from "@balancenuma/vmstat";
import type { KernelInstance } from "@balancenuma/kernel";
import { featuresAtStep } from "./features.js";
import { remoteSweep } from "./testing.js";

/** Pages of the sweeping process on each node. */
function nodePages(k: KernelInstance): number[] {
  const out = k.topology.nodes.map(() => 0);
  const pt = [...k.tasks.values()][0].mm!.pgtable;
  for (let i = 0; i < pt.pmdCount; i++) {
    const f = pt.pmdFlags[i];
    if (f & _PAGE_PSE) out[pageToNid(k.pages, pt.pmdVal[i])] += HPAGE_PMD_NR;
    else if (f)
      for (let j = pt.pmdVal[i] * 512; j < (pt.pmdVal[i] + 1) * 512; j++) if (pt.pteFlags[j] && pt.ptePfn[j] >= 0) out[pageToNid(k.pages, pt.ptePfn[j])]++;
  }
  return out;
}

/** What the series is for, end to end: remote memory moves to its user at step 49 and never at step 0. */
describe("the series end to end", () => {
  it("at step 0 a remote buffer of 4 KiB pages never moves; at step 49 it ends on the node its thread runs on", () => {
    const before = nodePages(remoteSweep(0, { mib: 32, seconds: 6, thp: "never" }));
    expect(before[1]).toBe(0);
    const after = nodePages(remoteSweep(49, { mib: 32, seconds: 6, thp: "never" }));
    expect(after[1]).toBeGreaterThan(0.95 * (after[0] + after[1]));
  });

  it("at step 49 a remote buffer of transparent huge pages ends local, moved as whole huge pages", () => {
    const k = remoteSweep(49, { mib: 64, seconds: 4 });
    const mm = [...k.tasks.values()][0].mm!;
    const pt = mm.pgtable;
    const hugeNodes: number[] = [];
    for (let i = 0; i < pt.pmdCount; i++) if (pt.pmdFlags[i] & _PAGE_PSE) hugeNodes.push(pageToNid(k.pages, pt.pmdVal[i]));
    expect(hugeNodes).toEqual(new Array(32).fill(1)); // 32 huge pmds, all on the thread's node
    expect(k.vm.events[THP_SPLIT]).toBe(0);
    expect(k.vm.events[PGMIGRATE_SUCCESS]).toBe(32 * HPAGE_PMD_NR);
  });

  it("numa_hint_faults exists from step 30, not at step 29", () => {
    const names = (step: number) => vmstatEntries(remoteSweep(step, { mib: 4, seconds: 0.2 }).vm, featuresAtStep(step)).map(([n]) => n);
    expect(names(29)).not.toContain("numa_hint_faults");
    expect(names(30)).toContain("numa_hint_faults");
  });
});
