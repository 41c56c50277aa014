/**
 * mm/rmap.c: anon_vma objects, the reverse map of anonymous pages, try_to_unmap and the migration
 * pte removal.
 *
 * Model of the anon_vma chains: every anon_vma has a root (itself for a vma's first anon_vma, the
 * parent's root after fork). The root's `vmas` list holds one vma per mm of the family; a walk
 * visits those and finds the page's address there. That works because an anonymous page sits at
 * the same address in every mm that maps it (fork copies the layout, mremap is not modelled), so
 * the list only needs to name the mms. Later vma splits and merges (mprotect, mbind, munmap) make
 * new vma objects that are not on the list; the walk looks the covering vma up in the mm instead.
 * The walk is therefore a little wider than the kernel's (a page made by a child after fork is
 * looked for in the parent too) and charges for every vma it checks.
 *
 * The anon_vma lock is always the root's. Who takes it how is the series' last change
 * (Features.anonVmaLock): a mutex at 3.7; an rwsem taken for write (step 48); and from step 49
 * try_to_unmap and rmap_walk (so remove_migration_ptes) take it for read.
 */
import {
  NO_ANON_VMA,
  PG_anon,
  PAGE_SIZE,
  isShmemPage,
  SHMEM_ID_BASE,
  PG_head,
  PG_lru,
  PG_migrating,
  PG_swapbacked,
  PTRS_PER_PTE,
  linearAddr,
  linearPage,
  pmdIndex,
  pteIndex,
  type AnonVma,
  type Kernel,
  type RmapOps,
  type Vma,
  pageMapped,
  pageToNid,
} from "@balancenuma/include-linux";
import {
  _PAGE_PSE,
  isMigrationEntry,
  isWriteMigrationEntry,
  makeMigrationEntry,
  pteMkold,
  pteMkwrite,
  pteWrite,
  vmGetPageProt,
} from "@balancenuma/arch-x86-pgtable";
import { NR_ANON_PAGES, NR_ANON_TRANSPARENT_HUGEPAGES, modNodeState } from "@balancenuma/vmstat";

/** An rmap walk's result for one vma: the huge pmd maps the page. */
export const MAPPED_BY_PMD = -2;
/** An rmap walk's result for one vma: nothing at that address refers to the page. */
export const NOT_MAPPED = -1;

/**
 * Does the anon_vma lock taken by an rmap walker (try_to_unmap, rmap_walk) go shared? Only once
 * step 49 made those walkers readers.
 */
export function rmapWalkLockShared(k: Kernel): boolean {
  return k.features.anonVmaLock === "rwsem-read-walks";
}

/** The anon_vma of an anonymous page (page_anon_vma), or null. */
export function pageAnonVma(k: Kernel, pfn: number): AnonVma | null {
  const id = k.pages.anonVma[pfn];
  // A shmem page's mapping is its object, not an anon_vma.
  return id === NO_ANON_VMA || id >= SHMEM_ID_BASE ? null : k.anonVmaById(id);
}

/**
 * The vma of `listed`'s mm that covers `addr` and belongs to the same anon_vma tree, or null
 * (vma_address plus the mm lookup that replaces the kernel's per-vma chain entries).
 */
export function vmaInTree(k: Kernel, listed: Vma, root: AnonVma, addr: number): Vma | null {
  let vma: Vma | null = listed;
  if (addr < vma.start || addr >= vma.end || vma.anonVma === null) vma = k.memory.findVma(listed.mm, addr);
  if (vma === null || addr < vma.start || addr >= vma.end || vma.anonVma === null || vma.anonVma.root !== root) return null;
  return vma;
}

/**
 * page_check_address / the pmd check of page_referenced_one: where `vma`'s page tables refer to
 * `pfn` at `addr`: the pte index (present pte or migration entry), MAPPED_BY_PMD for a huge pmd
 * whose head is `pfn`, or NOT_MAPPED.
 */
export function findMapping(vma: Vma, addr: number, pfn: number): number {
  const pt = vma.mm.pgtable;
  const pi = pmdIndex(addr);
  if (pi >= pt.pmdCount) return NOT_MAPPED;
  const pmd = pt.pmdFlags[pi];
  if (pmd === 0) return NOT_MAPPED;
  if (pmd & _PAGE_PSE) return pt.pmdVal[pi] === pfn ? MAPPED_BY_PMD : NOT_MAPPED;
  const ptep = pt.pmdVal[pi] * PTRS_PER_PTE + pteIndex(addr);
  return pt.pteFlags[ptep] !== 0 && pt.ptePfn[ptep] === pfn ? ptep : NOT_MAPPED;
}

/** mm/rmap.c: anon_vma_prepare */
export function anonVmaPrepare(k: Kernel, vma: Vma): AnonVma {
  if (vma.anonVma) return vma.anonVma;
  const av = k.newAnonVma();
  k.lock(av.root.lock, k.cost.rmapWalkNs, false);
  av.vmas.push(vma);
  vma.anonVma = av;
  return av;
}

/** mm/rmap.c: anon_vma_fork */
export function anonVmaFork(k: Kernel, child: Vma, parent: Vma): void {
  const pav = parent.anonVma;
  if (pav === null) {
    child.anonVma = null;
    return;
  }
  const root = pav.root;
  // The child's vma gets an anon_vma of its own (its new COW pages go there) in the parent's tree.
  const av = k.newAnonVma();
  av.root = root;
  root.refcount++;
  k.lock(root.lock, k.cost.rmapWalkNs, false);
  av.vmas.push(child);
  child.anonVma = av;
  if (!listsMm(root, child)) root.vmas.push(child);
}

function listsMm(av: AnonVma, vma: Vma): boolean {
  for (let i = 0; i < av.vmas.length; i++) if (av.vmas[i].mm === vma.mm) return true;
  return false;
}

/**
 * Another live vma of `vma`'s mm that `av`'s list may name instead of it: for the root's list any
 * vma of the tree (the list names mms), for another anon_vma one that uses it.
 */
function sibling(vma: Vma, av: AnonVma): Vma | null {
  for (const v of vma.mm.vmas) {
    if (v === vma || v.anonVma === null) continue;
    if (av === av.root ? v.anonVma.root === av : v.anonVma === av) return v;
  }
  return null;
}

/** Drop `vma` from `av`'s list, keeping its mm listed through a sibling vma if it has one. */
function unlinkFrom(av: AnonVma, vma: Vma): void {
  const i = av.vmas.indexOf(vma);
  if (i < 0) return;
  const sib = sibling(vma, av);
  if (sib !== null && !av.vmas.includes(sib)) av.vmas[i] = sib;
  else av.vmas.splice(i, 1);
}

/** mm/rmap.c: unlink_anon_vmas */
export function unlinkAnonVmas(k: Kernel, vma: Vma): void {
  const av = vma.anonVma;
  if (av === null) return;
  const root = av.root;
  k.lock(root.lock, k.cost.rmapWalkNs, false);
  // Marks the vma dead for sibling() before the lists are fixed up.
  vma.anonVma = null;
  unlinkFrom(av, vma);
  if (av !== root) unlinkFrom(root, vma);
  if (av.vmas.length === 0 && av.refcount > 0) {
    av.refcount--;
    if (av !== root && root.refcount > 0) root.refcount--;
  }
}

/** mm/rmap.c: page_add_new_anon_rmap (isNew) / page_add_anon_rmap */
export function pageAddAnonRmap(k: Kernel, pfn: number, vma: Vma, addr: number, isNew: boolean): void {
  const p = k.pages;
  if (isNew) {
    const av = vma.anonVma ?? anonVmaPrepare(k, vma);
    // __page_set_anon_rmap: a new page belongs to the vma's own anon_vma; lru_cache_add.
    p.flags[pfn] |= PG_anon | PG_swapbacked | PG_lru;
    p.anonVma[pfn] = av.id;
    p.index[pfn] = linearPage(addr);
  } else if (p.anonVma[pfn] === NO_ANON_VMA && vma.anonVma) {
    p.flags[pfn] |= PG_anon;
    p.anonVma[pfn] = vma.anonVma.id;
    p.index[pfn] = linearPage(addr);
  }
  if (++p._mapcount[pfn] === 0) modNodeState(k, pageToNid(p, pfn), p.flags[pfn] & PG_head ? NR_ANON_TRANSPARENT_HUGEPAGES : NR_ANON_PAGES, 1);
}

/** mm/rmap.c: page_add_file_rmap: one more pte maps the shmem page. */
export function pageAddFileRmap(k: Kernel, pfn: number): void {
  k.pages._mapcount[pfn]++;
}

/**
 * rmap_walk_file's vma walk for a shmem page: every vma of the page's object (i_mmap; the object
 * names the mms) whose range covers the page's offset, with the page's address there. The
 * i_mmap_mutex hold is charged as the anon walk's is, per vma visited.
 */
export function fileMappings(k: Kernel, pfn: number): [Vma, number][] {
  const obj = k.memory.shmemById(k.pages.anonVma[pfn]);
  const off = k.pages.index[pfn];
  const out: [Vma, number][] = [];
  for (const mm of obj.mms)
    for (const vma of mm.vmas)
      if (vma.shm === obj && off >= vma.pgoff && off < vma.pgoff + (vma.end - vma.start) / PAGE_SIZE)
        out.push([vma, vma.start + (off - vma.pgoff) * PAGE_SIZE]);
  k.charge(k.cost.rmapWalkNs * Math.max(1, out.length));
  return out;
}

/** mm/rmap.c: page_remove_rmap */
export function pageRemoveRmap(k: Kernel, pfn: number): void {
  const p = k.pages;
  if (!pageMapped(p, pfn)) throw new Error(`page_remove_rmap: pfn ${pfn} is not mapped`);
  if (--p._mapcount[pfn] < 0 && p.flags[pfn] & PG_anon)
    modNodeState(k, pageToNid(p, pfn), p.flags[pfn] & PG_head ? NR_ANON_TRANSPARENT_HUGEPAGES : NR_ANON_PAGES, -1);
}

/** Visit the root's list under its lock: the hold is one rmapWalkNs per vma visited. */
function lockForWalk(k: Kernel, root: AnonVma, shared: boolean): void {
  k.lock(root.lock, k.cost.rmapWalkNs * Math.max(1, root.vmas.length), shared);
}

/** mm/rmap.c: rmap_walk (rmap_walk_anon): visit every (vma, addr) whose page tables map the page. */
export function rmapWalk(k: Kernel, pfn: number, visit: (vma: Vma, addr: number) => void): void {
  if (isShmemPage(k.pages, pfn)) {
    for (const [vma, addr] of fileMappings(k, pfn)) {
      const m = findMapping(vma, addr, pfn);
      if (m >= 0 && !isMigrationEntry(vma.mm.pgtable.pteFlags[m])) visit(vma, addr);
    }
    return;
  }
  const av = pageAnonVma(k, pfn);
  if (av === null) return;
  const root = av.root;
  const addr = linearAddr(k.pages.index[pfn]);
  lockForWalk(k, root, rmapWalkLockShared(k));
  const list = root.vmas;
  for (let i = 0; i < list.length; i++) {
    const vma = vmaInTree(k, list[i], root, addr);
    if (vma === null) continue;
    const m = findMapping(vma, addr, pfn);
    if (m === MAPPED_BY_PMD || (m >= 0 && !isMigrationEntry(vma.mm.pgtable.pteFlags[m]))) visit(vma, addr);
  }
}

/**
 * mm/rmap.c: try_to_unmap (try_to_unmap_anon + try_to_unmap_one). Each pte mapping the page is
 * cleared with ptep_clear_flush (which decides about the TLB flush); with `migration` a migration
 * entry takes its place, remembering whether the pte was writable. A page mapped by a huge pmd is
 * left alone: callers split THPs first, as 3.7's migration does.
 */
export function tryToUnmap(k: Kernel, pfn: number, migration: boolean): boolean {
  const p = k.pages;
  if (!pageMapped(p, pfn)) return true;
  if (isShmemPage(p, pfn)) {
    for (const [vma, addr] of fileMappings(k, pfn)) {
      const ptep = findMapping(vma, addr, pfn);
      if (ptep >= 0 && !isMigrationEntry(vma.mm.pgtable.pteFlags[ptep])) tryToUnmapOne(k, vma, addr, ptep, pfn, migration);
    }
    return !pageMapped(p, pfn);
  }
  const av = pageAnonVma(k, pfn);
  if (av === null) return false;
  const root = av.root;
  const addr = linearAddr(p.index[pfn]);
  lockForWalk(k, root, rmapWalkLockShared(k));
  const list = root.vmas;
  for (let i = 0; i < list.length && pageMapped(p, pfn); i++) {
    const vma = vmaInTree(k, list[i], root, addr);
    if (vma === null) continue;
    const ptep = findMapping(vma, addr, pfn);
    if (ptep < 0) continue;
    if (isMigrationEntry(vma.mm.pgtable.pteFlags[ptep])) continue;
    tryToUnmapOne(k, vma, addr, ptep, pfn, migration);
  }
  return !pageMapped(p, pfn);
}

/** mm/rmap.c: try_to_unmap_one for the pte `ptep` of `vma` mapping `pfn` at `addr`. */
function tryToUnmapOne(k: Kernel, vma: Vma, addr: number, ptep: number, pfn: number, migration: boolean): void {
  const p = k.pages;
  const pt = vma.mm.pgtable;
  const old = k.memory.ptepClearFlush(k, vma, addr, ptep);
  if (migration) {
    pt.pteFlags[ptep] = makeMigrationEntry(pteWrite(old));
    pt.ptePfn[ptep] = pfn;
    p.flags[pfn] |= PG_migrating;
  } else if (p.flags[pfn] & PG_anon) vma.mm.anonRss--;
  pageRemoveRmap(k, pfn);
  if (p.refcount[pfn] > 0) p.refcount[pfn]--; // page_cache_release of the mapping's reference
}

/**
 * mm/migrate.c: remove_migration_ptes (rmap_walk with remove_migration_pte): every migration entry
 * for `oldPfn` becomes a present, old pte to `newPfn` with the vma's protection, writable if the
 * entry was a write entry. The walk goes through newPfn's anon_vma (the caller copied mapping and
 * index), or oldPfn's when newPfn has none (undoing a failed migration with newPfn === oldPfn).
 */
export function removeMigrationPtes(k: Kernel, oldPfn: number, newPfn: number): void {
  const p = k.pages;
  const owner = p.anonVma[newPfn] !== NO_ANON_VMA ? newPfn : oldPfn;
  if (isShmemPage(p, owner)) {
    for (const [vma, addr] of fileMappings(k, owner)) removeMigrationPte(k, vma, addr, oldPfn, newPfn);
    p.flags[oldPfn] &= ~PG_migrating;
    return;
  }
  const av = pageAnonVma(k, owner);
  if (av === null) return;
  const root = av.root;
  const addr = linearAddr(p.index[owner]);
  lockForWalk(k, root, rmapWalkLockShared(k));
  const list = root.vmas;
  for (let i = 0; i < list.length; i++) {
    const vma = vmaInTree(k, list[i], root, addr);
    if (vma !== null) removeMigrationPte(k, vma, addr, oldPfn, newPfn);
  }
  p.flags[oldPfn] &= ~PG_migrating;
}

/** mm/migrate.c: remove_migration_pte: `vma`'s migration entry for `oldPfn` at `addr`, if any, maps `newPfn`. */
function removeMigrationPte(k: Kernel, vma: Vma, addr: number, oldPfn: number, newPfn: number): void {
  const ptep = findMapping(vma, addr, oldPfn);
  if (ptep < 0) return;
  const pt = vma.mm.pgtable;
  const entry = pt.pteFlags[ptep];
  if (!isMigrationEntry(entry)) return;
  let pte = pteMkold(vmGetPageProt(vma.flags));
  if (isWriteMigrationEntry(entry)) pte = pteMkwrite(pte);
  pt.pteFlags[ptep] = pte;
  pt.ptePfn[ptep] = newPfn;
  k.charge(k.cost.pteUpdateNs);
  k.pages.refcount[newPfn]++; // get_page for the new mapping
  if (isShmemPage(k.pages, newPfn)) pageAddFileRmap(k, newPfn);
  else pageAddAnonRmap(k, newPfn, vma, addr, false);
}

/** mm/rmap.c: the reverse-map operations of one kernel instance. */
export function createRmapOps(): RmapOps {
  return {
    anonVmaPrepare,
    anonVmaFork,
    unlinkAnonVmas,
    pageAddAnonRmap,
    pageAddFileRmap,
    pageRemoveRmap,
    tryToUnmap,
    removeMigrationPtes,
    rmapWalk,
  };
}
