/** Step 03: x86 ptep_set_access_flags does not flush at all. */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM } from "@balancenuma/include-linux";

function wpReuseFlushes(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
  const u = k.userApi(k.createProcess());
  const len = 64 * PAGE_SIZE;
  const a = u.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  u.touch(a, 64, PAGE_SIZE, 64, true, TOUCH_STREAM);
  u.mprotect(a, len, PROT_READ);
  u.mprotect(a, len, PROT_READ | PROT_WRITE);
  const before = { ...k.tlb.stats };
  const t0 = k.now();
  expect(u.touch(a, 64, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(64);
  expect(k.memory.stats.wpReuses).toBe(64);
  const s = k.tlb.stats;
  return { pageFlushes: s.pageFlushes - before.pageFlushes, localFlushes: s.localFlushes - before.localFlushes, ns: k.now() - t0 };
}

describe("step 03: x86-no-flush-access-flags", () => {
  it("the write-upgrade path stops flushing, and the 64 faults get cheaper", () => {
    const s2 = wpReuseFlushes(2);
    const s3 = wpReuseFlushes(3);
    expect(s2).toMatchObject({ pageFlushes: 0, localFlushes: 64 });
    expect(s3).toMatchObject({ pageFlushes: 0, localFlushes: 0 });
    expect(s3.ns).toBeLessThan(s2.ns);
  });
});
