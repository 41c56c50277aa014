import { describe, it, expect } from "vitest";
import {
  EACCES,
  EFAULT,
  EINVAL,
  ENOMEM,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_EXEC,
  PROT_GROWSDOWN,
  PROT_GROWSUP,
  PROT_NONE,
  PROT_READ,
  PROT_SEM,
  PROT_WRITE,
  TOUCH_LATENCY,
  VM_MAYWRITE,
  VM_READ,
  VM_WRITE,
  pmdIndex,
  type Features,
  type MmStruct,
} from "@balancenuma/include-linux";
import { pmdTransHuge } from "@balancenuma/arch-x86-pgtable";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

function boot(features: Partial<Features> = {}) {
  const k = bootAtStep({ debug: true, features, thp: "always" });
  const t = k.createProcess({ comm: "mprot" });
  const u = k.userApi(t);
  return { k, t, u, mm: t.mm as MmStruct };
}

const layout = (mm: MmStruct, from: number, to: number) =>
  mm.vmas.filter((v) => v.end > from && v.start < to).map((v) => [(v.start - from) / PAGE_SIZE, (v.end - from) / PAGE_SIZE, v.flags & (VM_READ | VM_WRITE)]);

describe("mprotect(2)", () => {
  it("PROT_READ makes a write touch fault with SIGSEGV; restoring write works", () => {
    const { k, u } = boot();
    const a = u.mmap(0, 8 * PAGE_SIZE, RW, ANON);
    expect(u.touch(a, 8, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(8);
    expect(u.mprotect(a, 8 * PAGE_SIZE, PROT_READ)).toBe(0);
    expect(u.touch(a, 8, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(8);
    expect(u.touch(a + 3 * PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(-EFAULT);
    expect(u.mprotect(a, 8 * PAGE_SIZE, RW)).toBe(0);
    expect(u.touch(a, 8, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(8);
    k.checkInvariants();
  });

  it("PROT_NONE makes every access fault, even to pages already mapped", () => {
    const { u } = boot();
    const a = u.mmap(0, 4 * PAGE_SIZE, RW, ANON);
    expect(u.touch(a, 4, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(4);
    expect(u.mprotect(a, 4 * PAGE_SIZE, PROT_NONE)).toBe(0);
    expect(u.touch(a, 1, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(-EFAULT);
    expect(u.touch(a + PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(-EFAULT);
    expect(u.mprotect(a, 4 * PAGE_SIZE, PROT_READ)).toBe(0);
    expect(u.touch(a, 4, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(4);
  });

  it("returns 3.7's errnos", () => {
    const { u } = boot();
    const a = u.mmap(0, 4 * PAGE_SIZE, RW, ANON);
    expect(u.mprotect(a + 1, PAGE_SIZE, PROT_READ)).toBe(-EINVAL);
    expect(u.mprotect(a, PAGE_SIZE, PROT_READ | 0x10)).toBe(-EINVAL);
    expect(u.mprotect(a, PAGE_SIZE, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP)).toBe(-EINVAL);
    expect(u.mprotect(a, 0, 0x10)).toBe(0); // len 0 is checked before prot
    expect(u.mprotect(a, 2 ** 64 - a, PROT_READ)).toBe(-ENOMEM); // end wraps around
    expect(u.mprotect(a + 4 * PAGE_SIZE, PAGE_SIZE, PROT_READ)).toBe(-ENOMEM); // nothing mapped there
    expect(u.mprotect(a, PAGE_SIZE, PROT_READ | PROT_GROWSDOWN)).toBe(-EINVAL); // not a growsdown vma
    expect(u.mprotect(a, PAGE_SIZE, PROT_READ | PROT_GROWSUP)).toBe(-EINVAL); // x86 has no VM_GROWSUP
    expect(u.mprotect(a, 3 * PAGE_SIZE, PROT_READ | PROT_SEM | PROT_EXEC)).toBe(0);
    expect(u.mprotect(a, 5, PROT_READ)).toBe(0); // len rounded up to a page
  });

  it("a hole in the range is ENOMEM, after changing the vmas before it", () => {
    const { u, mm } = boot();
    const a = u.mmap(0, 6 * PAGE_SIZE, RW, ANON);
    expect(u.munmap(a + 2 * PAGE_SIZE, PAGE_SIZE)).toBe(0);
    expect(u.mprotect(a, 6 * PAGE_SIZE, PROT_READ)).toBe(-ENOMEM);
    expect(layout(mm, a, a + 6 * PAGE_SIZE)).toEqual([
      [0, 2, VM_READ],
      [3, 6, VM_READ | VM_WRITE],
    ]);
  });

  it("splits the vma at the range edges and merges it back", () => {
    const { k, u, mm } = boot();
    const a = u.mmap(0, 10 * PAGE_SIZE, RW, ANON);
    expect(u.touch(a, 10, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(10);
    expect(u.mprotect(a + 3 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ)).toBe(0);
    expect(layout(mm, a, a + 10 * PAGE_SIZE)).toEqual([
      [0, 3, VM_READ | VM_WRITE],
      [3, 7, VM_READ],
      [7, 10, VM_READ | VM_WRITE],
    ]);
    expect(u.touch(a + 2 * PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(1);
    expect(u.touch(a + 7 * PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(1);
    expect(u.touch(a + 3 * PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(-EFAULT);
    expect(u.mprotect(a, 10 * PAGE_SIZE, RW)).toBe(0);
    expect(layout(mm, a, a + 10 * PAGE_SIZE)).toEqual([[0, 10, VM_READ | VM_WRITE]]);
    k.checkInvariants();
  });

  it("a whole huge page keeps its pmd and follows PROT_NONE, PROT_READ and back", () => {
    const { k, u, mm } = boot();
    const raw = u.mmap(0, 2 * PMD_SIZE, RW, ANON);
    const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
    expect(u.touch(a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(1);
    expect(u.mprotect(a, PMD_SIZE, PROT_NONE)).toBe(0);
    expect(pmdTransHuge(mm.pgtable.pmdFlags[pmdIndex(a)])).toBe(true);
    expect(u.touch(a + 5 * PAGE_SIZE, 1, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(-EFAULT);
    expect(u.mprotect(a, PMD_SIZE, PROT_READ)).toBe(0);
    expect(u.touch(a + 5 * PAGE_SIZE, 1, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(1);
    expect(u.touch(a + 5 * PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(-EFAULT);
    expect(u.mprotect(a, PMD_SIZE, RW)).toBe(0);
    expect(u.touch(a + 5 * PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(1);
    k.checkInvariants();
  });

  it("a range covering part of a huge page splits it and changes only the covered ptes", () => {
    const { k, u, mm } = boot();
    const raw = u.mmap(0, 2 * PMD_SIZE, RW, ANON);
    const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
    expect(u.touch(a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(1);
    expect(pmdTransHuge(mm.pgtable.pmdFlags[pmdIndex(a)])).toBe(true);
    expect(u.mprotect(a, 4 * PAGE_SIZE, PROT_READ)).toBe(0);
    expect(pmdTransHuge(mm.pgtable.pmdFlags[pmdIndex(a)])).toBe(false);
    expect(u.touch(a + 3 * PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(-EFAULT);
    expect(u.touch(a + 4 * PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(1);
    k.checkInvariants();
  });

  it("EACCES for a right the mapping may never have", () => {
    const { u, mm } = boot();
    const a = u.mmap(0, 2 * PAGE_SIZE, RW, ANON);
    const vma = mm.vmas.find((v) => v.start === a)!;
    vma.flags &= ~VM_MAYWRITE; // as a read-only file mapping would have it
    expect(u.mprotect(a, 2 * PAGE_SIZE, RW)).toBe(-EACCES);
  });
});

describe("change_protection count (step 07) and TLB flush (step 08)", () => {
  it("counts populated ptes: a 10-page vma with 3 touched pages returns 3 (0 at 3.7-rc6)", () => {
    for (const [features, want] of [
      [{}, 0],
      [{ changeProtectionCounts: true }, 3],
    ] as const) {
      const { k, u, mm } = boot(features);
      const a = u.mmap(0, 10 * PAGE_SIZE, RW, ANON);
      for (const i of [0, 4, 9]) expect(u.touch(a + i * PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(1);
      const vma = mm.vmas.find((v) => v.start === a)!;
      expect(k.mprotect.changeProtection(k, vma, a, a + 10 * PAGE_SIZE, VM_READ, false, false)).toBe(want);
    }
  });

  it("counts a fully covered huge pmd as 512", () => {
    const { k, u, mm } = boot({ changeProtectionCounts: true });
    const raw = u.mmap(0, 2 * PMD_SIZE, RW, ANON);
    const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
    expect(u.touch(a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(1);
    const vma = mm.vmas.find((v) => v.start <= a && v.end > a)!;
    expect(pmdTransHuge(mm.pgtable.pmdFlags[pmdIndex(a)])).toBe(true); // the THP fault gave a huge pmd
    expect(k.mprotect.changeProtection(k, vma, a, a + PMD_SIZE, VM_READ, false, false)).toBe(512);
  });

  it("mprotect of a never-touched range flushes once at baseline and not at all with step 08", () => {
    for (const [features, fresh] of [
      [{}, 1],
      [{ changeProtectionCounts: true, changeProtectionFlushIfChanged: true }, 0],
    ] as const) {
      const { k, u } = boot(features);
      const a = u.mmap(0, 16 * PAGE_SIZE, RW, ANON);
      let before = k.tlb.stats.rangeFlushes;
      expect(u.mprotect(a, 16 * PAGE_SIZE, PROT_READ)).toBe(0);
      expect(k.tlb.stats.rangeFlushes - before, JSON.stringify(features)).toBe(fresh);
      expect(u.touch(a, 1, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(1);
      before = k.tlb.stats.rangeFlushes;
      expect(u.mprotect(a, 16 * PAGE_SIZE, RW)).toBe(0);
      expect(k.tlb.stats.rangeFlushes - before, JSON.stringify(features)).toBe(1);
    }
  });
});
