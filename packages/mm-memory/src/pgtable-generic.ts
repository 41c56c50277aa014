/**
 * mm/pgtable-generic.c and include/asm-generic/pgtable.h: the generic pte helpers. x86 overrides
 * ptep_set_access_flags (the generic one is kept to model step 04) but uses the generic
 * ptep_clear_flush, which step 06 changes.
 */
import type { Kernel, Vma } from "@balancenuma/include-linux";
import { pteAccessibleFor, type FlushTlbFixSpuriousFault } from "@balancenuma/arch-x86-pgtable";

/** include/asm-generic/pgtable.h: flush_tlb_fix_spurious_fault, the generic default: flush_tlb_page. */
const genericFlushTlbFixSpuriousFault: FlushTlbFixSpuriousFault = (k, vma, addr) => {
  k.tlb.flushTlbPage(k, vma.mm, addr);
};

/**
 * mm/pgtable-generic.c: ptep_set_access_flags, used by architectures without
 * __HAVE_ARCH_PTEP_SET_ACCESS_FLAGS. x86 has its own (arch-x86-pgtable ptepSetAccessFlags), so this never runs
 * on the simulated machine; it is here to model step 04. Unlike x86 it writes any change (dirty or
 * not). The flush after the write: flush_tlb_page up to step 03, the arch's
 * flush_tlb_fix_spurious_fault from step 04 (gate genericPtepSetAccessFlagsFixSpurious), whose
 * generic default is flush_tlb_page again: only an arch with a local version saves the IPIs.
 */
export function genericPtepSetAccessFlags(
  k: Kernel,
  vma: Vma,
  addr: number,
  ptep: number,
  entry: number,
  _dirty: boolean,
  archFixSpurious: FlushTlbFixSpuriousFault = genericFlushTlbFixSpuriousFault,
): boolean {
  const pt = vma.mm.pgtable;
  const changed = pt.pteFlags[ptep] !== entry;
  if (changed) {
    pt.pteFlags[ptep] = entry;
    k.charge(k.cost.pteUpdateNs);
    if (k.features.genericPtepSetAccessFlagsFixSpurious) archFixSpurious(k, vma, addr);
    else k.tlb.flushTlbPage(k, vma.mm, addr);
  }
  return changed;
}

/**
 * mm/pgtable-generic.c: ptep_clear_flush (x86 uses this generic one): get and clear the pte, then
 * flush_tlb_page. From step 06 (gate ptepClearFlushAccessibleOnly) only when the old pte was
 * accessible: a PROT_NONE (later NUMA-hinting) pte cannot be in any TLB. Returns the old flags;
 * read the old pfn before calling, the entry is left none.
 */
export function ptepClearFlush(k: Kernel, vma: Vma, addr: number, ptep: number): number {
  const pt = vma.mm.pgtable;
  const old = pt.pteFlags[ptep];
  pt.pteFlags[ptep] = 0;
  pt.ptePfn[ptep] = -1;
  k.charge(k.cost.pteUpdateNs);
  if (!k.features.ptepClearFlushAccessibleOnly || pteAccessibleFor(k, old)) k.tlb.flushTlbPage(k, vma.mm, addr);
  return old;
}
