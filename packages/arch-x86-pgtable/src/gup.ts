/** arch/x86/mm/gup.c: the lockless fast path's per-pte test. */
import { _PAGE_PRESENT, _PAGE_RW, _PAGE_SPECIAL, _PAGE_USER } from "./pgtable-types.js";

/**
 * arch/x86/mm/gup.c: gup_pte_range's check: the pte must be PRESENT and USER (and RW for a write),
 * and not special. Anything else (none, PROT_NONE, migration entries) falls back to the slow path.
 */
export function gupFastPteOk(pte: number, write: boolean): boolean {
  const need = _PAGE_PRESENT | _PAGE_USER | (write ? _PAGE_RW : 0);
  return (pte & (need | _PAGE_SPECIAL)) === need;
}
