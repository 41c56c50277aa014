/** Step 02: x86 ptep_set_access_flags flushes only the local TLB (no flush_tlb_page IPIs). */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM } from "@balancenuma/include-linux";

/** 64 do_wp_page reuses (private pages made read-only by mprotect): each upgrades its pte. */
function wpReuseFlushes(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
  const u = k.userApi(k.createProcess());
  const len = 64 * PAGE_SIZE;
  const a = u.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  u.touch(a, 64, PAGE_SIZE, 64, true, TOUCH_STREAM);
  u.mprotect(a, len, PROT_READ);
  u.mprotect(a, len, PROT_READ | PROT_WRITE);
  const before = { ...k.tlb.stats };
  expect(u.touch(a, 64, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(64);
  expect(k.memory.stats.wpReuses).toBe(64);
  const s = k.tlb.stats;
  return { pageFlushes: s.pageFlushes - before.pageFlushes, localFlushes: s.localFlushes - before.localFlushes };
}

describe("step 02: x86-local-flush-access-flags", () => {
  it("the write-upgrade path flushes locally instead of with flush_tlb_page", () => {
    expect(wpReuseFlushes(1)).toEqual({ pageFlushes: 64, localFlushes: 64 });
    expect(wpReuseFlushes(2)).toEqual({ pageFlushes: 0, localFlushes: 64 });
  });
});
