/**
 * arch/x86/include/asm/pgtable.h: predicates and modifiers on pte/pmd flag words. The model keeps a
 * pte as (flags, pfn) in two typed arrays; these helpers take and return the flags word.
 */
import {
  _PAGE_ACCESSED,
  _PAGE_CHG_MASK,
  _HPAGE_CHG_MASK,
  _PAGE_DIRTY,
  _PAGE_MIGRATION,
  _PAGE_PRESENT,
  _PAGE_PROTNONE,
  _PAGE_PSE,
  _PAGE_RW,
  _PAGE_SPECIAL,
  _PAGE_SPLITTING,
  _PAGE_USER,
  _KERNPG_TABLE,
} from "./pgtable-types.js";

/** pte_present: a page is associated with the pte (PROT_NONE ptes count: they keep their page). */
export const ptePresent = (pte: number): boolean => (pte & (_PAGE_PRESENT | _PAGE_PROTNONE)) !== 0;
/** pte_none. */
export const pteNone = (pte: number): boolean => pte === 0;
/**
 * pte_accessible (x86, "x86/mm: Introduce pte_accessible()"): could a TLB hold this entry? Only
 * if PRESENT is set. Callers consult `k.features.pteAccessible`; without it the generic fallback
 * answers "always accessible".
 */
export const pteAccessible = (pte: number): boolean => (pte & _PAGE_PRESENT) !== 0;
/** pte_write. */
export const pteWrite = (pte: number): boolean => (pte & _PAGE_RW) !== 0;
/** pte_dirty. */
export const pteDirty = (pte: number): boolean => (pte & _PAGE_DIRTY) !== 0;
/** pte_young. */
export const pteYoung = (pte: number): boolean => (pte & _PAGE_ACCESSED) !== 0;
/** pte_special. */
export const pteSpecial = (pte: number): boolean => (pte & _PAGE_SPECIAL) !== 0;
/** pte_mkwrite. */
export const pteMkwrite = (pte: number): number => pte | _PAGE_RW;
/** pte_wrprotect. */
export const pteWrprotect = (pte: number): number => pte & ~_PAGE_RW;
/** pte_mkold. */
export const pteMkold = (pte: number): number => pte & ~_PAGE_ACCESSED;
/** pte_mkyoung. */
export const pteMkyoung = (pte: number): number => pte | _PAGE_ACCESSED;
/** pte_mkdirty. */
export const pteMkdirty = (pte: number): number => pte | _PAGE_DIRTY;
/** pte_mkclean. */
export const pteMkclean = (pte: number): number => pte & ~_PAGE_DIRTY;
/** pte_modify: new protection bits, keeping accessed/dirty/special (and the pfn, stored apart). */
export const pteModify = (pte: number, newprot: number): number => (pte & _PAGE_CHG_MASK) | (newprot & ~_PAGE_CHG_MASK);

/** pmd_none. */
export const pmdNone = (pmd: number): boolean => pmd === 0;
/** pmd_present: PRESENT, PROTNONE or PSE (a splitting huge pmd has PRESENT cleared but PSE kept). */
export const pmdPresent = (pmd: number): boolean => (pmd & (_PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_PSE)) !== 0;
/** pmd_trans_huge. */
export const pmdTransHuge = (pmd: number): boolean => (pmd & _PAGE_PSE) !== 0;
/** pmd_trans_splitting. */
export const pmdTransSplitting = (pmd: number): boolean => (pmd & _PAGE_SPLITTING) !== 0;
/** pmd_bad: not a pointer to a pte page (a huge pmd counts as bad here, as in the kernel). */
export const pmdBad = (pmd: number): boolean => (pmd & ~_PAGE_USER) !== _KERNPG_TABLE;
/** pmd_write. */
export const pmdWrite = (pmd: number): boolean => (pmd & _PAGE_RW) !== 0;
/** pmd_young. */
export const pmdYoung = (pmd: number): boolean => (pmd & _PAGE_ACCESSED) !== 0;
/** pmd_dirty. */
export const pmdDirty = (pmd: number): boolean => (pmd & _PAGE_DIRTY) !== 0;
/** pmd_mkwrite. */
export const pmdMkwrite = (pmd: number): number => pmd | _PAGE_RW;
/** pmd_wrprotect. */
export const pmdWrprotect = (pmd: number): number => pmd & ~_PAGE_RW;
/** pmd_mkold. */
export const pmdMkold = (pmd: number): number => pmd & ~_PAGE_ACCESSED;
/** pmd_mkyoung. */
export const pmdMkyoung = (pmd: number): number => pmd | _PAGE_ACCESSED;
/** pmd_mkdirty. */
export const pmdMkdirty = (pmd: number): number => pmd | _PAGE_DIRTY;
/** pmd_mkhuge. */
export const pmdMkhuge = (pmd: number): number => pmd | _PAGE_PSE;
/** pmd_mksplitting. */
export const pmdMksplitting = (pmd: number): number => pmd | _PAGE_SPLITTING;
/** pmd_modify. */
export const pmdModify = (pmd: number, newprot: number): number => (pmd & _HPAGE_CHG_MASK) | (newprot & ~_HPAGE_CHG_MASK);

/** include/linux/swapops.h: make_migration_entry (the model's encoding, see _PAGE_MIGRATION). */
export const makeMigrationEntry = (write: boolean): number => _PAGE_MIGRATION | (write ? _PAGE_RW : 0);
/** is_migration_entry on a pte: not present and carrying the migration marker. */
export const isMigrationEntry = (pte: number): boolean => (pte & (_PAGE_MIGRATION | _PAGE_PRESENT)) === _PAGE_MIGRATION;
/** is_write_migration_entry. */
export const isWriteMigrationEntry = (pte: number): boolean => isMigrationEntry(pte) && (pte & _PAGE_RW) !== 0;
