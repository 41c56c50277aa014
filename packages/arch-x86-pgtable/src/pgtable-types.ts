/**
 * arch/x86/include/asm/pgtable_types.h: the x86 pte/pmd flag bits the model stores in its
 * Uint16Array page tables. Only bits below 16 are modelled (NX, bit 63, is not).
 */
import { VM_READ, VM_WRITE, VM_EXEC, VM_SHARED, type Features } from "@balancenuma/include-linux";

export const _PAGE_BIT_PRESENT = 0;
export const _PAGE_BIT_RW = 1;
export const _PAGE_BIT_USER = 2;
export const _PAGE_BIT_PWT = 3;
export const _PAGE_BIT_PCD = 4;
export const _PAGE_BIT_ACCESSED = 5;
export const _PAGE_BIT_DIRTY = 6;
/** 2 MiB page in a pmd (the PAT bit on a 4K pte). */
export const _PAGE_BIT_PSE = 7;
export const _PAGE_BIT_GLOBAL = 8;
/** Available to software: aliases _PAGE_BIT_SPECIAL, _PAGE_BIT_CPA_TEST and _PAGE_BIT_SPLITTING. */
export const _PAGE_BIT_UNUSED1 = 9;
export const _PAGE_BIT_IOMAP = 10;
export const _PAGE_BIT_HIDDEN = 11;
export const _PAGE_BIT_PAT_LARGE = 12;
/** @alias of _PAGE_BIT_UNUSED1 (the kernel names one bit several ways). */
export const _PAGE_BIT_SPECIAL = _PAGE_BIT_UNUSED1;
/** @alias of _PAGE_BIT_UNUSED1, on pmds only. */
export const _PAGE_BIT_SPLITTING = _PAGE_BIT_UNUSED1;
/** @alias of _PAGE_BIT_GLOBAL, only meaningful when PRESENT is clear: a PROT_NONE mapping reuses the GLOBAL bit. */
export const _PAGE_BIT_PROTNONE = _PAGE_BIT_GLOBAL;
/** @alias of _PAGE_BIT_DIRTY, in non-present entries. */
export const _PAGE_BIT_FILE = _PAGE_BIT_DIRTY;

export const _PAGE_PRESENT = 1 << _PAGE_BIT_PRESENT; // 0x001
export const _PAGE_RW = 1 << _PAGE_BIT_RW; // 0x002
export const _PAGE_USER = 1 << _PAGE_BIT_USER; // 0x004
export const _PAGE_PWT = 1 << _PAGE_BIT_PWT; // 0x008
export const _PAGE_PCD = 1 << _PAGE_BIT_PCD; // 0x010
export const _PAGE_ACCESSED = 1 << _PAGE_BIT_ACCESSED; // 0x020
export const _PAGE_DIRTY = 1 << _PAGE_BIT_DIRTY; // 0x040
export const _PAGE_PSE = 1 << _PAGE_BIT_PSE; // 0x080
export const _PAGE_GLOBAL = 1 << _PAGE_BIT_GLOBAL; // 0x100
export const _PAGE_SPECIAL = 1 << _PAGE_BIT_SPECIAL; // 0x200
export const _PAGE_SPLITTING = 1 << _PAGE_BIT_SPLITTING; // 0x200 (pmds only)
export const _PAGE_PROTNONE = 1 << _PAGE_BIT_PROTNONE; // 0x100
export const _PAGE_FILE = 1 << _PAGE_BIT_FILE; // 0x040 (non-present only)
/**
 * _PAGE_NUMA (step 12, gate pageNumaDefined): the NUMA-hinting marker, defined as _PAGE_PROTNONE.
 * Bit 8 sits between _PAGE_FILE and _PAGE_PROTNONE so swap entries need no new format, and it is
 * always clear in a present entry, so setting it while clearing PRESENT loses nothing. Sharing the
 * bit with PROTNONE is safe only where a PROT_NONE vma cannot reach: handle_mm_fault (x86
 * access_error rejects PROT_NONE vmas first). The bit is a constant; what reads it as NUMA is
 * pte_numa()/pmd_numa() (pgtable.ts, step 13).
 * @alias of _PAGE_PROTNONE
 */
export const _PAGE_NUMA = _PAGE_PROTNONE; // 0x100

/**
 * Whether this kernel's pgtable_types.h has _PAGE_NUMA (step 12, gate pageNumaDefined): the value,
 * or 0 when the symbol does not exist yet. Nothing before step 13 uses it.
 */
export function pageNumaBit(k: { readonly features: Readonly<Features> }): number {
  return k.features.pageNumaDefined ? _PAGE_NUMA : 0;
}

/**
 * Simulator-only: the model's encoding of a migration swap entry (include/linux/swapops.h
 * make_migration_entry). A pte with this bit and PRESENT clear is not present; its pfn field keeps
 * the pfn of the page under migration, and _PAGE_RW records a write migration entry. Real x86
 * stores the swap type/offset in the pte's upper bits; bit 10 (_PAGE_BIT_IOMAP, never set in user
 * ptes) stands in for "this is a migration entry".
 * @alias of _PAGE_BIT_IOMAP
 */
export const _PAGE_BIT_MIGRATION = _PAGE_BIT_IOMAP;
export const _PAGE_MIGRATION = 1 << _PAGE_BIT_MIGRATION; // 0x400

/** The pte bits that must survive a protection change (pte_modify keeps pfn, accessed, dirty, special). */
export const _PAGE_CHG_MASK = _PAGE_PCD | _PAGE_PWT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SPECIAL;
/** pmd_modify additionally keeps PSE. */
export const _HPAGE_CHG_MASK = _PAGE_CHG_MASK | _PAGE_PSE;

/** A pmd pointing to a pte page (_PAGE_TABLE). */
export const _PAGE_TABLE = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY;
/** _KERNPG_TABLE: what a good pmd looks like without _PAGE_USER (pmd_bad). */
export const _KERNPG_TABLE = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;

/** The pgprot_t values of protection_map[]. */
export const PAGE_NONE = _PAGE_PROTNONE | _PAGE_ACCESSED;
export const PAGE_SHARED = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED;
/** Private writable mappings are mapped read-only: the first write takes a COW (or reuse) fault. */
export const PAGE_COPY = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;
export const PAGE_READONLY = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

/**
 * mm/mmap.c protection_map[16] with x86's __P/__S values, indexed by
 * VM_READ|VM_WRITE|VM_EXEC|VM_SHARED. Exec is ignored (NX is not modelled).
 */
const PROTECTION_MAP: readonly number[] = [
  PAGE_NONE,
  PAGE_READONLY,
  PAGE_COPY,
  PAGE_COPY, // __P000 __P001 __P010 __P011
  PAGE_READONLY,
  PAGE_READONLY,
  PAGE_COPY,
  PAGE_COPY, // __P100 __P101 __P110 __P111
  PAGE_NONE,
  PAGE_READONLY,
  PAGE_SHARED,
  PAGE_SHARED, // __S000 __S001 __S010 __S011
  PAGE_READONLY,
  PAGE_READONLY,
  PAGE_SHARED,
  PAGE_SHARED, // __S100 __S101 __S110 __S111
];

/** mm/mmap.c: vm_get_page_prot: the pte flags for a vma's VM_* flags (vma->vm_page_prot). */
export function vmGetPageProt(vmFlags: number): number {
  return PROTECTION_MAP[vmFlags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)];
}
