/** Step 38: split_huge_page copies the head page's last_nid to the 511 tails. */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import { NUMA_PAGE_MIGRATE, THP_SPLIT } from "@balancenuma/vmstat";
import { remoteSweep } from "../testing.js";
import {
  HPAGE_PMD_NR,
  LAST_NID_NONE,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  pageLastNid,
  pageXchgLastNid,
  pmdIndex,
} from "@balancenuma/include-linux";

function tailsAfterSplit(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "always", debug: true });
  const t = k.createProcess({ cpusAllowed: 1n });
  const u = k.userApi(t);
  const raw = u.mmap(0, 2 * PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  u.touch(a, 1, PAGE_SIZE, 64, true, TOUCH_STREAM);
  const head = t.mm!.pgtable.pmdVal[pmdIndex(a)];
  pageXchgLastNid(k, head, 1); // as a hinting fault from node 1 would (mpol_misplaced, step 40)
  expect(k.hugeMemory.splitHugePage(k, head)).toBe(0);
  k.checkInvariants();
  const tails = new Set<number>();
  for (let i = 1; i < HPAGE_PMD_NR; i++) tails.add(pageLastNid(k, head + i));
  return [...tails];
}

describe("step 38: thp-split-last-nid", () => {
  it("tails keep -1 at 37 and inherit the head's last_nid at 38", () => {
    expect(tailsAfterSplit(37)).toEqual([LAST_NID_NONE]);
    expect(tailsAfterSplit(38)).toEqual([1]);
  });

  it("end to end at 44: a misplaced THP split by its hinting fault moves all its pages on their first 4K faults, because the tails carry the head's last_nid", () => {
    const run = (inherit: boolean) => remoteSweep(44, { mib: 64, seconds: 4, features: { splitHugePageLastNid: inherit } }).vm.events;
    const withStep38 = run(true);
    const without = run(false);
    expect(withStep38[THP_SPLIT]).toBe(32);
    expect(withStep38[NUMA_PAGE_MIGRATE]).toBe(64 * 256);
    // Tails starting from -1 fail the two-stage filter on their first fault: only the heads move.
    expect(without[THP_SPLIT]).toBe(32);
    expect(without[NUMA_PAGE_MIGRATE]).toBeLessThan((64 * 256) / 2);
  });
});
