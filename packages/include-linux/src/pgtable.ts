import { PTRS_PER_PTE, USER_BASE, PAGE_SHIFT, PMD_SHIFT } from "./constants.js";

/**
 * One mm's page tables below the pgd, in typed arrays. The pgd/pud levels are implicit: the pmd
 * level is one flat array indexed by pmd index ((addr - USER_BASE) >> PMD_SHIFT). A pmd entry is
 * either none, a pointer to a pte page (a slot in the pte pool), or a transparent huge pmd mapping
 * 512 pages. Entry bits are x86's (see @balancenuma/arch-x86-pgtable); storage is arch-neutral.
 */
export class PageTable {
  /** pmd flag bits (x86 _PAGE_*; _PAGE_PSE marks a huge pmd). 0 = pmd_none. */
  pmdFlags: Uint16Array;
  /** For a huge pmd: the head pfn. For a table pmd: the pte-pool slot. -1 when none. */
  pmdVal: Int32Array;
  /** pte flag bits, [slot * 512 + pte index]. 0 = pte_none. */
  pteFlags: Uint16Array;
  /** pte pfn, [slot * 512 + pte index]; -1 when none. */
  ptePfn: Int32Array;
  /** The page frame holding each pte page (for page-table memory accounting), [slot]. */
  ptePageFrame: Int32Array;
  /** Pte pool slots in use, and the freed slots to reuse (LIFO). */
  slotsUsed = 0;
  private freeSlots: number[] = [];

  constructor(pmds = 64, slots = 16) {
    this.pmdFlags = new Uint16Array(pmds);
    this.pmdVal = new Int32Array(pmds).fill(-1);
    this.pteFlags = new Uint16Array(slots * PTRS_PER_PTE);
    this.ptePfn = new Int32Array(slots * PTRS_PER_PTE).fill(-1);
    this.ptePageFrame = new Int32Array(slots).fill(-1);
  }

  /** Number of pmd entries the table can address now. */
  get pmdCount(): number {
    return this.pmdFlags.length;
  }

  /** Grow the pmd level to cover pmd index `idx`. */
  ensurePmd(idx: number): void {
    if (idx < this.pmdFlags.length) return;
    let n = this.pmdFlags.length;
    while (n <= idx) n *= 2;
    const f = new Uint16Array(n);
    f.set(this.pmdFlags);
    const v = new Int32Array(n).fill(-1);
    v.set(this.pmdVal);
    this.pmdFlags = f;
    this.pmdVal = v;
  }

  /** Take a pte-pool slot for a new pte page backed by frame `pfn`; its entries start none. */
  allocSlot(pfn: number): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.slotsUsed++;
      if (slot >= this.ptePageFrame.length) this.growSlots();
    }
    this.ptePageFrame[slot] = pfn;
    this.pteFlags.fill(0, slot * PTRS_PER_PTE, (slot + 1) * PTRS_PER_PTE);
    this.ptePfn.fill(-1, slot * PTRS_PER_PTE, (slot + 1) * PTRS_PER_PTE);
    return slot;
  }

  /** Return a pte-pool slot; gives back the frame that backed it. */
  freeSlot(slot: number): number {
    const pfn = this.ptePageFrame[slot];
    this.ptePageFrame[slot] = -1;
    this.freeSlots.push(slot);
    return pfn;
  }

  /** Pte pages in use (mm->nr_ptes). */
  get nrPtes(): number {
    return this.slotsUsed - this.freeSlots.length;
  }

  private growSlots(): void {
    const n = this.ptePageFrame.length * 2;
    const pf = new Int32Array(n).fill(-1);
    pf.set(this.ptePageFrame);
    const fl = new Uint16Array(n * PTRS_PER_PTE);
    fl.set(this.pteFlags);
    const pp = new Int32Array(n * PTRS_PER_PTE).fill(-1);
    pp.set(this.ptePfn);
    this.ptePageFrame = pf;
    this.pteFlags = fl;
    this.ptePfn = pp;
  }
}

/** pmd index of a user address. */
export const pmdIndex = (addr: number): number => Math.floor((addr - USER_BASE) / 2 ** PMD_SHIFT);
/** pte index of a user address within its pte page. */
/** The user address pmd index `i` maps from (the inverse of pmdIndex). */
export const pmdAddr = (i: number): number => USER_BASE + i * 2 ** PMD_SHIFT;

export const pteIndex = (addr: number): number => Math.floor((addr - USER_BASE) / 2 ** PAGE_SHIFT) & (PTRS_PER_PTE - 1);
/**
 * pte_offset_map: the slot of addr's pte in `pt`'s pte arrays (pteFlags/ptePfn), for a pmd that
 * points to a pte page.
 */
export const pteOffset = (pt: PageTable, addr: number): number => pt.pmdVal[pmdIndex(addr)] * PTRS_PER_PTE + pteIndex(addr);

/** Linear page number of a user address (used as page->index for anon pages). */
export const linearPage = (addr: number): number => Math.floor((addr - USER_BASE) / 2 ** PAGE_SHIFT);
/** User address of a linear page number. */
export const linearAddr = (page: number): number => USER_BASE + page * 2 ** PAGE_SHIFT;
