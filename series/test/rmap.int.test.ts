/** mm-rmap inside a booted kernel (real fork, munmap, exit), invariants checked. */
import { describe, it, expect } from "vitest";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM, type MmStruct, pageMapcount, pteOffset } from "@balancenuma/include-linux";
import { bootAtStep } from "../boot.js";

const pfnAt = (mm: MmStruct, addr: number): number => {
  const pt = mm.pgtable;
  return pt.ptePfn[pteOffset(pt, addr)];
};

describe("rmap in a booted kernel", () => {
  it("finds a forked process's pages from both mms, and only the parent's after the child exits", () => {
    const k = bootAtStep({ debug: true, thp: "never" });
    const parent = k.createProcess({ cpusAllowed: 1n });
    const u = k.userApi(parent);
    const a = u.mmap(0, 32 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    u.touch(a, 32, PAGE_SIZE, 64, true, TOUCH_STREAM);
    let exit = false;
    const childPid = u.fork({ run: (cu) => (exit ? cu.exit(0) : cu.sleep(1e6)) }, "child");
    const child = k.tasks.get(childPid)!;
    const pfn = pfnAt(parent.mm!, a + 5 * PAGE_SIZE);
    expect(pfnAt(child.mm!, a + 5 * PAGE_SIZE)).toBe(pfn);
    const mms = new Set<MmStruct>();
    k.rmap.rmapWalk(k, pfn, (vma, addr) => {
      expect(addr).toBe(a + 5 * PAGE_SIZE);
      mms.add(vma.mm);
    });
    expect(mms).toEqual(new Set([parent.mm, child.mm]));
    k.runFor(8_000_000);
    exit = true;
    k.runFor(8_000_000);
    expect(child.exitNs).toBeGreaterThanOrEqual(0);
    let n = 0;
    k.rmap.rmapWalk(k, pfn, (vma) => {
      expect(vma.mm).toBe(parent.mm);
      n++;
    });
    expect(n).toBe(1);
    expect(pageMapcount(k.pages, pfn)).toBe(1);
    k.checkInvariants();
  });
});
