/**
 * Step 04: the generic ptep_set_access_flags (mm/pgtable-generic.c) flushes with
 * flush_tlb_fix_spurious_fault instead of flush_tlb_page. x86 has its own version, so x86 runs are
 * identical at 03 and 04; the generic function shows the change for an arch with a local fix-up.
 */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, pteOffset } from "@balancenuma/include-linux";
import { PAGE_COPY, _PAGE_DIRTY, type FlushTlbFixSpuriousFault } from "@balancenuma/arch-x86-pgtable";
import { genericPtepSetAccessFlags } from "@balancenuma/mm-memory";
import { fingerprint, TOPO } from "../testing.js";

/** Upgrade one pte through the generic function on a kernel at `step`, with the arch's fix-up. */
function genericUpgrade(step: number, arch?: FlushTlbFixSpuriousFault) {
  const k = bootAtStep({ step, topology: TOPO });
  const t = k.createProcess();
  const u = k.userApi(t);
  const a = u.mmap(0, 1 << 21, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  u.touch(a, 1, 4096, 64, true, 0);
  const mm = t.mm!;
  const vma = k.memory.findVma(mm, a)!;
  const ptep = pteOffset(mm.pgtable, a);
  mm.pgtable.pteFlags[ptep] = PAGE_COPY;
  const before = { ...k.tlb.stats };
  expect(genericPtepSetAccessFlags(k, vma, a, ptep, PAGE_COPY | _PAGE_DIRTY, true, arch)).toBe(true);
  return { pageFlushes: k.tlb.stats.pageFlushes - before.pageFlushes, localFlushes: k.tlb.stats.localFlushes - before.localFlushes };
}

describe("step 04: generic-local-flush-access-flags", () => {
  it("x86 runs are identical at steps 03 and 04", () => {
    expect(fingerprint(4)).toEqual(fingerprint(3));
  });

  it("the generic function: flush_tlb_page before 04, the arch's flush_tlb_fix_spurious_fault from 04", () => {
    const localFixup: FlushTlbFixSpuriousFault = (k, _vma, addr) => {
      k.tlb.flushTlbLocal(k, addr);
    };
    expect(genericUpgrade(3, localFixup)).toEqual({ pageFlushes: 1, localFlushes: 1 });
    expect(genericUpgrade(4, localFixup)).toEqual({ pageFlushes: 0, localFlushes: 1 });
    // The generic default of flush_tlb_fix_spurious_fault is flush_tlb_page: no change there.
    expect(genericUpgrade(4)).toEqual(genericUpgrade(3));
  });
});
