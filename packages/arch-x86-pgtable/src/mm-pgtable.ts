/**
 * arch/x86/mm/pgtable.c: the pte updates that must flush TLBs. A "ptep"
 * is an index into the mm's pteFlags/ptePfn arrays (slot * PTRS_PER_PTE + pte index).
 */
import type { Kernel, Vma } from "@balancenuma/include-linux";
import { pmdTransHuge } from "./pgtable.js";
import { HPAGE_SIZE, USER_BASE } from "@balancenuma/include-linux";

/**
 * arch/x86/mm/pgtable.c: ptep_set_access_flags. Upgrades a pte (accessed/dirty, or write together
 * with dirty); x86 writes it only when it changed and `dirty` is set. The flush after the write is
 * the series' first target (gate x86PtepSetAccessFlagsFlush): flush_tlb_page with IPIs at 3.7-rc6,
 * a local invlpg after step 02, nothing after step 03. Returns whether the entry changed.
 */
export function ptepSetAccessFlags(k: Kernel, vma: Vma, addr: number, ptep: number, entry: number, dirty: boolean): boolean {
  const pt = vma.mm.pgtable;
  const changed = pt.pteFlags[ptep] !== entry;
  if (changed && dirty) {
    pt.pteFlags[ptep] = entry;
    k.charge(k.cost.pteUpdateNs);
    const how = k.features.x86PtepSetAccessFlagsFlush;
    if (how === "flush_tlb_page") k.tlb.flushTlbPage(k, vma.mm, addr);
    else if (how === "local") k.tlb.flushTlbLocal(k, addr);
  }
  return changed;
}

/** The flush an arch does after fixing up a spurious fault on an entry another CPU may still cache. */
export type FlushTlbFixSpuriousFault = (k: Kernel, vma: Vma, addr: number) => void;

/** arch/x86/include/asm/pgtable.h: flush_tlb_fix_spurious_fault: a no-op (x86 re-walks on a fault). */
export const flushTlbFixSpuriousFault: FlushTlbFixSpuriousFault = () => {};

/**
 * arch/x86/mm/pgtable.c: pmdp_set_access_flags: like ptepSetAccessFlags for a huge pmd; x86
 * flushes the huge page's range whenever it writes (unchanged by the series).
 */
export function pmdpSetAccessFlags(k: Kernel, vma: Vma, _addr: number, pmdIdx: number, entry: number, dirty: boolean): boolean {
  const pt = vma.mm.pgtable;
  const changed = pt.pmdFlags[pmdIdx] !== entry;
  if (changed && dirty && pmdTransHuge(entry)) {
    pt.pmdFlags[pmdIdx] = entry;
    k.charge(k.cost.pteUpdateNs);
    const start = USER_BASE + pmdIdx * HPAGE_SIZE;
    k.tlb.flushTlbRange(k, vma.mm, start, start + HPAGE_SIZE);
  }
  return changed;
}
