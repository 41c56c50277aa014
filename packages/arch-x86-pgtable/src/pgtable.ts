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
  _PAGE_NUMA,
  _PAGE_PRESENT,
  _PAGE_PROTNONE,
  _PAGE_PSE,
  _PAGE_RW,
  _PAGE_SPECIAL,
  _PAGE_SPLITTING,
  _PAGE_USER,
  _KERNPG_TABLE,
} from "./pgtable-types.js";
import type { Features } from "@balancenuma/include-linux";

/** What the config-dependent helpers need of the kernel: its build (features). */
export interface KernelBuild {
  readonly features: Readonly<Features>;
}

/**
 * pte_present: a page is associated with the pte (PROT_NONE ptes count: they keep their page).
 * Step 13 adds _PAGE_NUMA to the mask; it is the PROTNONE bit, so the value is unchanged.
 */
export const ptePresent = (pte: number): boolean => (pte & (_PAGE_PRESENT | _PAGE_PROTNONE)) !== 0;
/** pte_none. */
export const pteNone = (pte: number): boolean => pte === 0;
/**
 * pte_accessible (x86, "x86/mm: Introduce pte_accessible()"): could a TLB hold this entry? Only
 * if PRESENT is set. Callers consult `k.features.pteAccessible`; without it the generic fallback
 * answers "always accessible".
 */
export const pteAccessible = (pte: number): boolean => (pte & _PAGE_PRESENT) !== 0;

/**
 * pte_accessible as generic mm code sees it: x86's from step 05 (gate pteAccessible), before that
 * the include/asm-generic fallback, which calls every pte accessible.
 */
export function pteAccessibleFor(k: KernelBuild, pte: number): boolean {
  return k.features.pteAccessible ? pteAccessible(pte) : true;
}
/** pte_write. */
export const pteWrite = (pte: number): boolean => (pte & _PAGE_RW) !== 0;
/** pte_dirty. */
export const pteDirty = (pte: number): boolean => (pte & _PAGE_DIRTY) !== 0;
/** pte_young. */
export const pteYoung = (pte: number): boolean => (pte & _PAGE_ACCESSED) !== 0;
/** pte_special. */
export const pteSpecial = (pte: number): boolean => (pte & _PAGE_SPECIAL) !== 0;
/** pte_mkspecial: a pte with no struct page behind it for vm_normal_page (x86 has HAVE_PTE_SPECIAL). */
export const pteMkspecial = (pte: number): number => pte | _PAGE_SPECIAL;
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
/**
 * pmd_present: PRESENT, PROTNONE or PSE (a splitting huge pmd has PRESENT cleared but PSE kept).
 * Step 13 adds _PAGE_NUMA (= PROTNONE) to the mask: numerically unchanged.
 */
export const pmdPresent = (pmd: number): boolean => (pmd & (_PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_PSE)) !== 0;
/** pmd_trans_huge. */
export const pmdTransHuge = (pmd: number): boolean => (pmd & _PAGE_PSE) !== 0;
/** pmd_trans_splitting. */
export const pmdTransSplitting = (pmd: number): boolean => (pmd & _PAGE_SPLITTING) !== 0;
/**
 * pmd_bad: not a pointer to a pte page (a huge pmd counts as bad here, as in the kernel). From step
 * 13 (gate pteNumaHelpers), only in a CONFIG_NUMA_BALANCING build, a numa pmd (NUMA set, PRESENT
 * clear) is a good pmd: it still points to its pte page.
 */
export function pmdBad(k: KernelBuild, pmd: number): boolean {
  const f = k.features;
  if (f.pteNumaHelpers && f.CONFIG_NUMA_BALANCING && (pmd & (_PAGE_NUMA | _PAGE_PRESENT)) === _PAGE_NUMA) return false;
  return (pmd & ~_PAGE_USER) !== _KERNPG_TABLE;
}
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

// ---- NUMA hinting entries (include/asm-generic/pgtable.h, step 13) ----------------------------
// Compiled only with CONFIG_NUMA_BALANCING (and x86's ARCH_USES_NUMA_PROT_NONE). Without it, or
// before step 13 (gate pteNumaHelpers), pte_numa/pmd_numa are 0 and the mk helpers return their
// argument. Callers on hot paths may read `numaHelpersLive(k)` once and use the raw forms below.

/** Whether this build has the real pte_numa helpers (step 13 and CONFIG_NUMA_BALANCING). */
export const numaHelpersLive = (k: KernelBuild): boolean => k.features.pteNumaHelpers && k.features.CONFIG_NUMA_BALANCING;

/** pte_numa: a NUMA hinting pte: _PAGE_NUMA set and PRESENT clear. */
export function pteNuma(k: KernelBuild, pte: number): boolean {
  return numaHelpersLive(k) && (pte & (_PAGE_NUMA | _PAGE_PRESENT)) === _PAGE_NUMA;
}

/** pmd_numa: a NUMA hinting pmd (a table pmd or a huge pmd): _PAGE_NUMA set and PRESENT clear. */
export function pmdNuma(k: KernelBuild, pmd: number): boolean {
  return numaHelpersLive(k) && (pmd & (_PAGE_NUMA | _PAGE_PRESENT)) === _PAGE_NUMA;
}

/** pte_mknuma: set _PAGE_NUMA and clear PRESENT; every other bit (RW, DIRTY, ACCESSED, the pfn) stays. */
export function pteMknuma(k: KernelBuild, pte: number): number {
  return numaHelpersLive(k) ? (pte | _PAGE_NUMA) & ~_PAGE_PRESENT : pte;
}

/** pmd_mknuma. */
export function pmdMknuma(k: KernelBuild, pmd: number): number {
  return numaHelpersLive(k) ? (pmd | _PAGE_NUMA) & ~_PAGE_PRESENT : pmd;
}

/**
 * pte_mknonnuma: clear _PAGE_NUMA, set PRESENT and ACCESSED (accessed so that the hardware walker
 * does not have to write the pte again right after the hinting fault).
 */
export function pteMknonnuma(k: KernelBuild, pte: number): number {
  return numaHelpersLive(k) ? (pte & ~_PAGE_NUMA) | _PAGE_PRESENT | _PAGE_ACCESSED : pte;
}

/** pmd_mknonnuma. */
export function pmdMknonnuma(k: KernelBuild, pmd: number): number {
  return numaHelpersLive(k) ? (pmd & ~_PAGE_NUMA) | _PAGE_PRESENT | _PAGE_ACCESSED : pmd;
}
