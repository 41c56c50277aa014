/**
 * mm/shmem.c for shared anonymous memory and tmpfs files: shmem_zero_setup (MAP_SHARED|
 * MAP_ANONYMOUS maps a new unlinked object), shmem_fault (the page at the faulting offset comes
 * from the object's page cache, or is allocated there under the object's shared policy, falling
 * back to the task's; at or past i_size it is SIGBUS), and the object's end when nothing names,
 * maps or holds it open (truncation frees its pages). Read faults allocate too: shmem has no zero
 * page. A shared mapping maps the cache page writable when it may be written; a private one maps
 * it read-only, and the first write copies it (the caller's do_wp_page).
 */
import {
  GFP_HIGHUSER_MOVABLE,
  PAGE_SIZE,
  PG_lru,
  PG_swapbacked,
  SHMEM_ID_BASE,
  VM_FAULT_OOM,
  VM_FAULT_SIGBUS,
  VM_WRITE,
  putPage,
  shmemInUse,
  type Kernel,
  type MemoryStats,
  type ShmemObject,
  type Vma,
  pageToNid,
} from "@balancenuma/include-linux";
import { pteMkdirty, pteMkwrite, pteMkyoung, vmGetPageProt } from "@balancenuma/arch-x86-pgtable";

/** The shmem objects of one kernel, by id (a shmem page's mapping) and by tmpfs path. */
export class ShmemObjects {
  private nextId = SHMEM_ID_BASE;
  readonly byId = new Map<number, ShmemObject>();
  /** The tmpfs directory entries: path -> object. */
  readonly byPath = new Map<string, ShmemObject>();

  /** shmem_file_setup / shmem_get_inode: a new empty object of `size` bytes. */
  create(path: string, size: number, linked: boolean): ShmemObject {
    const obj: ShmemObject = { id: this.nextId++, pages: new Map(), policy: [], mms: new Set(), mappers: 0, path, linked, opens: 0, size };
    this.byId.set(obj.id, obj);
    if (linked) this.byPath.set(path, obj);
    return obj;
  }

  /** shmem_zero_setup: a new unlinked "/dev/zero" object of the vma's size, mapped from offset 0. */
  zeroSetup(vma: Vma): void {
    vma.pgoff = 0;
    shmemMapObject(vma, this.create("/dev/zero", vma.end - vma.start, false));
  }

  /**
   * iput of an object nothing names, maps or holds open: every page leaves the page cache and
   * drops the cache's reference (freed unless something else, such as a migration in flight,
   * still holds it).
   */
  release(k: Kernel, obj: ShmemObject): void {
    if (shmemInUse(obj)) return;
    for (const pfn of obj.pages.values()) dropCachePage(k, pfn);
    obj.pages.clear();
    this.byId.delete(obj.id);
  }

  get(id: number): ShmemObject {
    const obj = this.byId.get(id);
    if (!obj) throw new Error(`no shmem object ${id}`);
    return obj;
  }
}

/** The object's page offset of `addr` in `vma` (linear_page_index). */
export const shmemOffset = (vma: Vma, addr: number): number => vma.pgoff + Math.floor((addr - vma.start) / PAGE_SIZE);

/** delete_from_page_cache: the page leaves the object (page->mapping = NULL) and loses the cache's reference. */
export function dropCachePage(k: Kernel, pfn: number): void {
  k.pages.anonVma[pfn] = 0;
  putPage(k, pfn);
}

/** mmap_region of a file: `vma` maps `obj` (vma->vm_file). */
export function shmemMapObject(vma: Vma, obj: ShmemObject): void {
  vma.shm = obj;
  shmemVmaAdded(vma);
}

/** A new vma maps the object (split_vma, fork's dup_mmap: __vma_link_file). */
export function shmemVmaAdded(vma: Vma): void {
  if (!vma.shm) return;
  vma.shm.mappers++;
  vma.shm.mms.add(vma.mm);
}

/** A vma of the object is gone (munmap, exit, a merge): the last user releases the object. */
export function shmemVmaGone(k: Kernel, objects: ShmemObjects, vma: Vma): void {
  const obj = vma.shm;
  if (!obj) return;
  obj.mappers--;
  objects.release(k, obj);
}

/**
 * shmem_fault (through __do_fault): the object's page at this offset, allocated on first use with
 * the policy get_vma_policy finds for it (the shared policy at that offset, else the task's),
 * zeroed, added to the page cache (one reference) and mapped here (another, and a mapcount).
 * An offset at or past i_size is SIGBUS. `write` makes the pte writable and dirty (a shared
 * mapping's write fault); `chargeZero` charges the zeroing of a new page.
 */
export function shmemFault(k: Kernel, st: MemoryStats, vma: Vma, addr: number, ptep: number, write: boolean, chargeZero: (node: number) => void): number {
  const obj = vma.shm as ShmemObject;
  const off = shmemOffset(vma, addr);
  const p = k.pages;
  if (off * PAGE_SIZE >= obj.size) return VM_FAULT_SIGBUS;
  let pfn = obj.pages.get(off);
  if (pfn === undefined) {
    pfn = k.mempolicy.allocPagesVma(k, GFP_HIGHUSER_MOVABLE, 0, vma, addr);
    if (pfn < 0) return VM_FAULT_OOM;
    chargeZero(pageToNid(p, pfn));
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
