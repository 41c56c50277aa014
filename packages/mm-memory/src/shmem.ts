/**
 * mm/shmem.c for shared anonymous memory: shmem_zero_setup (MAP_SHARED|MAP_ANONYMOUS maps a new
 * shmem object), shmem_fault (the page at the faulting offset comes from the object's page cache,
 * or is allocated there under the object's shared policy, falling back to the task's), and the
 * object's end when its last mapping goes (truncation frees its pages). Read faults allocate too:
 * shmem has no zero page. Pages are mapped writable when the mapping is (no copy-on-write).
 */
import {
  GFP_HIGHUSER_MOVABLE,
  PAGE_SIZE,
  PG_lru,
  PG_swapbacked,
  SHMEM_ID_BASE,
  VM_FAULT_OOM,
  VM_WRITE,
  putPage,
  type Kernel,
  type MemoryStats,
  type ShmemObject,
  type Vma,
} from "@balancenuma/include-linux";
import { pteMkdirty, pteMkwrite, pteMkyoung, vmGetPageProt } from "@balancenuma/arch-x86-pgtable";

/** The shmem objects of one kernel, by id (a shmem page's mapping). */
export class ShmemObjects {
  private nextId = SHMEM_ID_BASE;
  readonly byId = new Map<number, ShmemObject>();

  /** shmem_zero_setup: a new object for `vma`, which maps it from offset 0. */
  zeroSetup(vma: Vma): void {
    const obj: ShmemObject = { id: this.nextId++, pages: new Map(), policy: [], mms: new Set([vma.mm]), mappers: 1 };
    this.byId.set(obj.id, obj);
    vma.shm = obj;
    vma.pgoff = 0;
  }

  get(id: number): ShmemObject {
    const obj = this.byId.get(id);
    if (!obj) throw new Error(`no shmem object ${id}`);
    return obj;
  }
}

/** The object's page offset of `addr` in `vma` (linear_page_index). */
export const shmemOffset = (vma: Vma, addr: number): number => vma.pgoff + Math.floor((addr - vma.start) / PAGE_SIZE);

/** A new vma maps the object (split_vma, fork's dup_mmap: __vma_link_file). */
export function shmemVmaAdded(vma: Vma): void {
  if (!vma.shm) return;
  vma.shm.mappers++;
  vma.shm.mms.add(vma.mm);
}

/**
 * A vma of the object is gone (munmap, exit, a merge). With the last one the unlinked file is
 * released: every page leaves the page cache and drops the cache's reference (freed unless
 * something else, such as a migration in flight, still holds it).
 */
export function shmemVmaGone(k: Kernel, objects: ShmemObjects, vma: Vma): void {
  const obj = vma.shm;
  if (!obj) return;
  if (--obj.mappers > 0) return;
  for (const pfn of obj.pages.values()) {
    k.pages.anonVma[pfn] = 0; // page->mapping = NULL
    putPage(k, pfn);
  }
  obj.pages.clear();
  objects.byId.delete(obj.id);
}

/**
 * shmem_fault (through __do_fault): the object's page at this offset, allocated on first use with
 * the policy get_vma_policy finds for it (the shared policy at that offset, else the task's),
 * zeroed, added to the page cache (one reference) and mapped here (another, and a mapcount).
 * `chargeZero` charges the zeroing of a new page.
 */
export function shmemFault(k: Kernel, st: MemoryStats, vma: Vma, addr: number, ptep: number, write: boolean, chargeZero: (node: number) => void): number {
  const obj = vma.shm as ShmemObject;
  const off = shmemOffset(vma, addr);
  const p = k.pages;
  let pfn = obj.pages.get(off);
  if (pfn === undefined) {
    pfn = k.mempolicy.allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, addr);
    if (pfn < 0) return VM_FAULT_OOM;
    chargeZero(p.nid[pfn]);
    p.flags[pfn] |= PG_swapbacked | PG_lru;
    p.anonVma[pfn] = obj.id;
    p.index[pfn] = off;
    obj.pages.set(off, pfn);
    st.shmemPagesAllocated++;
  }
  p.refcount[pfn]++;
  k.rmap.pageAddFileRmap(k, pfn);
  let entry = pteMkyoung(vmGetPageProt(vma.flags));
  if (write && vma.flags & VM_WRITE) entry = pteMkwrite(pteMkdirty(entry));
  const pt = vma.mm.pgtable;
  pt.pteFlags[ptep] = entry;
  pt.ptePfn[ptep] = pfn;
  k.charge(k.cost.pteUpdateNs);
  st.shmemFaults++;
  return 0;
}
