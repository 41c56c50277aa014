/**
 * Step 08 (mprotect-flush-if-changed): change_protection flushes the TLB only if it changed an
 * entry, so mprotect over never-touched memory no longer flushes.
 */
import { describe, expect, it } from "vitest";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_LATENCY } from "@balancenuma/include-linux";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

/** Range flushes caused by mprotect(PROT_READ) of a 16-page mapping with `touched` pages populated. */
function flushes(step: number, touched: number): number {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
  const u = k.userApi(k.createProcess({ comm: "mprot" }));
  const a = u.mmap(0, 16 * PAGE_SIZE, RW, ANON);
  if (touched) u.touch(a, touched, PAGE_SIZE, 8, true, TOUCH_LATENCY);
  const before = k.tlb.stats.rangeFlushes;
  expect(u.mprotect(a, 16 * PAGE_SIZE, PROT_READ)).toBe(0);
  return k.tlb.stats.rangeFlushes - before;
}

describe("step 08: no TLB flush when change_protection changed nothing", () => {
  it("never-touched memory: one flush at 07, none at 08", () => {
    expect(flushes(7, 0)).toBe(1);
    expect(flushes(8, 0)).toBe(0);
  });

  it("a populated pte still gives exactly one range flush at both steps", () => {
    expect(flushes(7, 1)).toBe(1);
    expect(flushes(8, 1)).toBe(1);
  });
});
