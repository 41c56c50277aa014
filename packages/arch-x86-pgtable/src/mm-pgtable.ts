/**
 * arch/x86/mm/pgtable.c and mm/pgtable-generic.c: the pte updates that must flush TLBs. A "ptep"
 * is an index into the mm's pteFlags/ptePfn arrays (slot * PTRS_PER_PTE + pte index).
 */
import type { Kernel, Vma } from "@balancenuma/include-linux";
import { pteAccessible, pmdTransHuge } from "./pgtable.js";
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

/**
 * mm/pgtable-generic.c: ptep_clear_flush (x86 uses the generic one): get and clear the pte, then
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
  // Without x86's pte_accessible (before step 05) the generic fallback says "accessible".
  const accessible = k.features.pteAccessible ? pteAccessible(old) : true;
  if (!k.features.ptepClearFlushAccessibleOnly || accessible) k.tlb.flushTlbPage(k, vma.mm, addr);
  return old;
}
