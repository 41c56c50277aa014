/** Step 01: handle_mm_fault calls __pte_alloc only when the pmd is none. */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM } from "@balancenuma/include-linux";

function run(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
  const u = k.userApi(k.createProcess());
  const a = u.mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  expect(u.touch(a, 256, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(256);
  k.checkInvariants();
  return { stats: { ...k.memory.stats }, nrPtes: k.current!.mm!.pgtable.nrPtes };
}

describe("step 01: pte-alloc-check", () => {
  it("faults on an already populated pmd no longer allocate and free a spare pte page", () => {
    const before = run(0);
    const after = run(1);
    // 256 faults in one 1 MiB range: at most two pmds need a pte page.
    expect(before.stats.ptePageAllocs).toBe(256);
    expect(before.stats.ptePagesUnused).toBe(256 - before.nrPtes);
    expect(after.stats.ptePageAllocs).toBe(after.nrPtes);
    expect(after.stats.ptePagesUnused).toBe(0);
    expect(after.nrPtes).toBe(before.nrPtes);
    expect(after.stats.anonFaults).toBe(before.stats.anonFaults);
  });
});
