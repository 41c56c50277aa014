import { PG_buddy, PTRS_PER_PTE, type MmStruct, type Task } from "@balancenuma/include-linux";
import { _PAGE_PSE } from "@balancenuma/arch-x86-pgtable";
import { NR_FREE_PAGES } from "@balancenuma/vmstat";
import type { KernelInstance } from "./boot.js";

/**
 * The model's invariants, checked in debug mode:
 * - pages are conserved per node: free (PG_buddy) + in use = the node's pages, and NR_FREE_PAGES agrees
 *   with the allocator;
 * - page tables and struct page agree: every page's mapcount equals the ptes and huge pmds mapping it;
 * - every mapped anonymous page can be found through its rmap;
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

  const mapped = new Uint32Array(pages.nrPages);
  for (const mm of liveMms(k.tasks.values())) {
    const pt = mm.pgtable;
    for (let i = 0; i < pt.pmdCount; i++) {
      if (pt.pmdFlags[i] === 0) continue;
      if (pt.pmdFlags[i] & _PAGE_PSE) {
        mapped[pt.pmdVal[i]]++;
        continue;
      }
      const slot = pt.pmdVal[i];
      for (let j = slot * PTRS_PER_PTE; j < (slot + 1) * PTRS_PER_PTE; j++) if (pt.pteFlags[j] !== 0 && pt.ptePfn[j] >= 0) mapped[pt.ptePfn[j]]++;
    }
  }
  for (let pfn = 0; pfn < pages.nrPages; pfn++) {
    if (mapped[pfn] !== pages.mapcount[pfn])
      fail(`pfn ${pfn}: mapcount ${pages.mapcount[pfn]} but ${mapped[pfn]} page-table entries map it`);
    if (mapped[pfn] && pages.flags[pfn] & PG_buddy) fail(`pfn ${pfn} is mapped but free`);
  }
  for (let pfn = 0; pfn < pages.nrPages; pfn++) {
    if (!mapped[pfn]) continue;
    let found = 0;
    k.rmap.rmapWalk(k, pfn, () => found++);
    if (found !== mapped[pfn]) fail(`pfn ${pfn}: rmap walk finds ${found} mappings, page tables have ${mapped[pfn]}`);
  }

  if (lastEvents)
    for (let i = 0; i < lastEvents.length; i++)
      if (k.vm.events[i] < lastEvents[i]) fail(`vm event ${i} went down from ${lastEvents[i]} to ${k.vm.events[i]}`);
}

function liveMms(tasks: Iterable<Task>): Set<MmStruct> {
  const s = new Set<MmStruct>();
  for (const t of tasks) if (t.mm && t.exitNs < 0) s.add(t.mm);
  return s;
}

function fail(msg: string): never {
  throw new Error(`invariant broken: ${msg}`);
}
