import {
  PAGE_SIZE,
  PG_buddy,
  isShmemPage,
  PG_reserved,
  ZERO_PFN,
  isZeroPfn,
  pageMapcount,
  PMD_SIZE,
  PTRS_PER_PTE,
  USER_BASE,
  linearAddr,
  type MmStruct,
  type Task,
} from "@balancenuma/include-linux";
import { _PAGE_PSE, _PAGE_RW, _PAGE_SPECIAL } from "@balancenuma/arch-x86-pgtable";
import { NR_FREE_PAGES } from "@balancenuma/vmstat";
import { FIRST_ZONE_PFN } from "@balancenuma/mm-page-alloc";
import type { KernelInstance } from "./boot.js";

/**
 * The model's invariants, checked in debug mode:
 * - pages are conserved per node: free (PG_buddy) + in use = the node's pages, and NR_FREE_PAGES agrees
 *   with the allocator;
 * - page tables and struct page agree: every page's mapcount equals the ptes and huge pmds mapping it;
 * - every mapped anonymous page's rmap (anon_vma and index) leads back to the mm and address mapping it;
 * - the zero page stays reserved, unmapped in struct page terms, and only special read-only ptes map it;
 * - event counters never go down.
 */
export function checkInvariants(k: KernelInstance, lastEvents: Float64Array | null): void {
  const { pages, topology } = k;
  let base = 0;
  for (const node of topology.nodes) {
    const count = node.memBytes / 4096;
    let free = 0;
    for (let pfn = base; pfn < base + count; pfn++) if (pages.flags[pfn] & PG_buddy) free++;
    const allocFree = k.pageAlloc.nodeFreePages(node.id);
    if (free !== allocFree) fail(`node ${node.id}: ${free} pages flagged free but the allocator has ${allocFree}`);
    const stat = k.vm.nodeStat[node.id][NR_FREE_PAGES];
    if (stat !== allocFree) fail(`node ${node.id}: NR_FREE_PAGES ${stat} but the allocator has ${allocFree} free`);
    base += count;
  }

  // Walk every live mm's page tables: count the entries mapping each page, and check that the
  // page's rmap (anon_vma root and index) leads back to this mm and this address. The check reads
  // the rmap structures directly rather than running an rmap walk, which would take the anon_vma
  // lock and charge time, so debug runs time exactly like normal ones.
  const mapped = new Uint32Array(pages.nrPages);
  const checkRmap = (mm: MmStruct, pfn: number, addr: number) => {
    mapped[pfn]++;
    const id = pages.anonVma[pfn];
    if (isShmemPage(pages, pfn)) {
      checkShmem(mm, pfn, addr);
      return;
    }
    if (id === 0) fail(`pfn ${pfn} mapped at 0x${addr.toString(16)} has no anon_vma`);
    if (linearAddr(pages.index[pfn]) !== addr)
      fail(`pfn ${pfn}: index says 0x${linearAddr(pages.index[pfn]).toString(16)} but it is mapped at 0x${addr.toString(16)}`);
    if (!k.anonVmaById(id).root.vmas.some((v) => v.mm === mm)) fail(`pfn ${pfn}: mm ${mm.id} maps it but is not on its anon_vma's list`);
  };
  // A shmem page: its object holds it at its index, and a vma of this mm maps the object there.
  const checkShmem = (mm: MmStruct, pfn: number, addr: number) => {
    let obj;
    try {
      obj = k.memory.shmemById(pages.anonVma[pfn]);
    } catch {
      return fail(`shmem pfn ${pfn} mapped at 0x${addr.toString(16)} has no object`);
    }
    const off = pages.index[pfn];
    if (obj.pages.get(off) !== pfn) fail(`shmem pfn ${pfn}: its object holds pfn ${obj.pages.get(off)} at offset ${off}`);
    const vma = mm.vmas.find((v) => v.start <= addr && addr < v.end);
    if (vma?.shm !== obj || vma.pgoff + (addr - vma.start) / PAGE_SIZE !== off)
      fail(`shmem pfn ${pfn} (offset ${off}) is mapped at 0x${addr.toString(16)} of mm ${mm.id}, which maps another page of the object there`);
    if (!obj.mms.has(mm)) fail(`shmem pfn ${pfn}: mm ${mm.id} maps it but is not on its object's list`);
  };
  for (const mm of liveMms(k.tasks.values())) {
    const pt = mm.pgtable;
    for (let i = 0; i < pt.pmdCount; i++) {
      if (pt.pmdFlags[i] === 0) continue;
      const base = USER_BASE + i * PMD_SIZE;
      if (pt.pmdFlags[i] & _PAGE_PSE) {
        checkRmap(mm, pt.pmdVal[i], base);
        continue;
      }
      const slot = pt.pmdVal[i];
      for (let j = 0; j < PTRS_PER_PTE; j++) {
        const e = slot * PTRS_PER_PTE + j;
        if (pt.pteFlags[e] === 0 || pt.ptePfn[e] < 0) continue;
        // A special pte maps the zero page: no rmap, no mapcount (and nothing else may).
        if (pt.pteFlags[e] & _PAGE_SPECIAL) {
          if (!isZeroPfn(pt.ptePfn[e]))
            fail(`mm ${mm.id}: special pte at 0x${(base + j * PAGE_SIZE).toString(16)} maps pfn ${pt.ptePfn[e]}, not the zero page`);
          if (pt.pteFlags[e] & _PAGE_RW) fail(`mm ${mm.id}: the zero page is mapped writable at 0x${(base + j * PAGE_SIZE).toString(16)}`);
          continue;
        }
        checkRmap(mm, pt.ptePfn[e], base + j * PAGE_SIZE);
      }
    }
  }
  // Pages outside every zone (pfn 0) have a struct page nothing initialised: skip them.
  if (!(pages.flags[ZERO_PFN] & PG_reserved) || pageMapcount(pages, ZERO_PFN) !== 0)
    fail(`the zero page (pfn ${ZERO_PFN}) lost PG_reserved or gained a mapcount`);
  for (let pfn = FIRST_ZONE_PFN; pfn < pages.nrPages; pfn++) {
    if (mapped[pfn] !== pageMapcount(pages, pfn)) fail(`pfn ${pfn}: mapcount ${pageMapcount(pages, pfn)} but ${mapped[pfn]} page-table entries map it`);
    if (mapped[pfn] && pages.flags[pfn] & PG_buddy) fail(`pfn ${pfn} is mapped but free`);
  }

  if (lastEvents)
    for (let i = 0; i < lastEvents.length; i++) if (k.vm.events[i] < lastEvents[i]) fail(`vm event ${i} went down from ${lastEvents[i]} to ${k.vm.events[i]}`);
}

function liveMms(tasks: Iterable<Task>): Set<MmStruct> {
  const s = new Set<MmStruct>();
  for (const t of tasks) if (t.mm && t.exitNs < 0) s.add(t.mm);
  return s;
}

/** A broken invariant: a bug in the model, not in what the user asked for. */
export class InvariantError extends Error {
  override name = "InvariantError";
}

function fail(msg: string): never {
  throw new InvariantError(`invariant broken: ${msg}`);
}
