/**
 * Step 07 (change-protection-count): change_protection returns the number of entries it rewrote.
 * A refactor at the syscall level: mprotect results, ptes and flushes are identical at 06 and 07;
 * the new observable is change_protection's return value (0 at 06).
 */
import { describe, expect, it } from "vitest";
import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  pmdIndex,
  pteIndex,
  PTRS_PER_PTE,
} from "@balancenuma/include-linux";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

/** mmap 10 pages, populate 3, mprotect it read-only, and report what a test can see. */
function run(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
  const t = k.createProcess({ comm: "mprot" });
  const u = k.userApi(t);
  const a = u.mmap(0, 10 * PAGE_SIZE, RW, ANON);
  for (const i of [0, 4, 9]) u.touch(a + i * PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY);
  const flushesBefore = k.tlb.stats.rangeFlushes;
  const rc = u.mprotect(a, 10 * PAGE_SIZE, PROT_READ);
  const pt = t.mm!.pgtable;
  const ptes = [0, 4, 9].map((i) => pt.pteFlags[pt.pmdVal[pmdIndex(a + i * PAGE_SIZE)] * PTRS_PER_PTE + pteIndex(a + i * PAGE_SIZE)]);
  const vma = k.memory.findVma(t.mm!, a)!;
  const count = k.mprotect.changeProtection(k, vma, vma.start, vma.end, vma.flags, false, false);
  k.checkInvariants();
  return { rc, ptes, flushes: k.tlb.stats.rangeFlushes - flushesBefore, count };
}

/** A whole THP under change_protection. */
function thpCount(step: number): number {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "always" });
  const t = k.createProcess({ comm: "thp" });
  const u = k.userApi(t);
  const raw = u.mmap(0, 2 * PMD_SIZE, RW, ANON);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  u.touch(a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY);
  const vma = k.memory.findVma(t.mm!, a)!;
  return k.mprotect.changeProtection(k, vma, a, a + PMD_SIZE, vma.flags, false, false);
}

describe("step 07: change_protection counts the entries it changed", () => {
  it("mprotect behaves the same at 06 and 07", () => {
    const [before, after] = [run(6), run(7)];
    expect(after.rc).toBe(0);
    expect(after.ptes).toEqual(before.ptes);
    expect(after.flushes).toBe(before.flushes);
  });

  it("change_protection returns 3 for 3 populated ptes at 07, 0 at 06", () => {
    expect(run(6).count).toBe(0);
    expect(run(7).count).toBe(3);
  });

  it("a fully covered THP counts HPAGE_PMD_NR at 07", () => {
    expect(thpCount(6)).toBe(0);
    expect(thpCount(7)).toBe(512);
  });
});
