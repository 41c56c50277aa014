/** Step 06: ptep_clear_flush flushes only when the cleared pte was accessible. */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_NONE, PROT_READ, PROT_WRITE, TOUCH_STREAM } from "@balancenuma/include-linux";

/** mprotect(PROT_NONE) a populated page, then move_pages it to the other node. */
function protNoneMigration(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
  const u = k.userApi(k.createProcess({ cpusAllowed: 1n }));
  const a = u.mmap(0, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  expect(u.touch(a, 1, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(1);
  expect(u.mprotect(a, 16 * PAGE_SIZE, PROT_NONE)).toBe(0);
  const before = k.tlb.stats.pageFlushes;
  const status = [0];
  expect(u.movePages(0, [a], [1], status, 0)).toBe(0);
  expect(status).toEqual([1]);
  k.checkInvariants();
  return k.tlb.stats.pageFlushes - before;
}

describe("step 06: flush-accessible-only", () => {
  it("unmapping a PROT_NONE pte for migration flushes at 05 and not at 06", () => {
    expect(protNoneMigration(5)).toBe(1);
    expect(protNoneMigration(6)).toBe(0);
  });
});
