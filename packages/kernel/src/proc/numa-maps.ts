import {
  PAGE_SHIFT,
  PTRS_PER_PTE,
  USER_BASE,
  HPAGE_PMD_NR,
  PG_active,
  PG_anon,
  PG_unevictable,
  VM_HUGETLB,
  type Kernel,
  type Task,
  type Vma,
  pageMapcount,
  pageToNid,
} from "@balancenuma/include-linux";
import { _PAGE_DIRTY, _PAGE_PRESENT, _PAGE_PROTNONE, _PAGE_PSE, _PAGE_SPECIAL } from "@balancenuma/arch-x86-pgtable";
import { numaMapsPolicy } from "@balancenuma/mm-mempolicy";

/** fs/proc/task_mmu.c: struct numa_maps, the counts show_numa_map gathers for one vma. */
interface NumaMapsStats {
  pages: number;
  anon: number;
  active: number;
  dirty: number;
  mapcountMax: number;
  node: number[];
}

/**
 * 3.8's pte_present: _PAGE_PRESENT, or _PAGE_PROTNONE/_PAGE_NUMA (same bit on x86), so NUMA hinting
 * ptes still count; migration entries do not.
 */
const present = (flags: number) => (flags & (_PAGE_PRESENT | _PAGE_PROTNONE)) !== 0;

/** gather_stats: add one mapped page (or a THP as HPAGE_PMD_NR pages) to the vma's counts. */
function gather(k: Kernel, md: NumaMapsStats, pfn: number, dirty: boolean, nrPages: number): void {
  const f = k.pages.flags[pfn];
  md.pages += nrPages;
  if (dirty) md.dirty += nrPages;
  if (f & (PG_active | PG_unevictable)) md.active += nrPages;
  if (f & PG_anon) md.anon += nrPages;
  md.mapcountMax = Math.max(md.mapcountMax, pageMapcount(k.pages, pfn));
  md.node[pageToNid(k.pages, pfn)] += nrPages;
}

/** gather_pte_stats over [vma.start, vma.end): huge pmds count as one THP, pte tables pte by pte. */
function gatherVma(k: Kernel, vma: Vma): NumaMapsStats {
  const md: NumaMapsStats = { pages: 0, anon: 0, active: 0, dirty: 0, mapcountMax: 0, node: k.topology.nodes.map(() => 0) };
  const pt = vma.mm.pgtable;
  const first = Math.floor((vma.start - USER_BASE) / 2 ** PAGE_SHIFT);
  const end = Math.ceil((vma.end - USER_BASE) / 2 ** PAGE_SHIFT);
  for (let page = first; page < end; ) {
    const pmd = Math.floor(page / PTRS_PER_PTE);
    const pmdEnd = Math.min(end, (pmd + 1) * PTRS_PER_PTE);
    const flags = pmd < pt.pmdCount ? pt.pmdFlags[pmd] : 0;
    if (flags & _PAGE_PSE) {
      if (present(flags)) gather(k, md, pt.pmdVal[pmd], (flags & _PAGE_DIRTY) !== 0, HPAGE_PMD_NR);
    } else if (flags !== 0) {
      const base = pt.pmdVal[pmd] * PTRS_PER_PTE;
      for (let p = page; p < pmdEnd; p++) {
        const i = base + (p % PTRS_PER_PTE);
        const pfn = pt.ptePfn[i];
        // can_gather_numa_stats: vm_normal_page gives no page for a special pte (the zero page).
        if (pfn >= 0 && present(pt.pteFlags[i]) && !(pt.pteFlags[i] & _PAGE_SPECIAL)) gather(k, md, pfn, (pt.pteFlags[i] & _PAGE_DIRTY) !== 0, 1);
      }
    }
    page = pmdEnd;
  }
  return md;
}

/** show_numa_map's seq_path(m, path, "\n\t= "): those characters as backslash and three octal digits. */
const seqPathEscape = (path: string): string => path.replace(/[\n\t= ]/g, (c) => "\\" + c.charCodeAt(0).toString(8).padStart(3, "0"));

/**
 * /proc/PID/numa_maps of a process as Linux 3.8 prints it (show_numa_map): one line per vma,
 * `%08lx <policy>`, then anon=, dirty=, mapped=, mapmax=, active= and N<node>= when the page walk
 * found pages. `readerCpu` is the CPU of the task reading the file (default 0, a shell on CPU 0):
 * from step 31 a vma without a policy prints `prefer:<that CPU's node>` (mm/mempolicy.c in 3.8).
 * A file mapping prints `file=` and the file's path, with " (deleted)" once it is unlinked: a
 * shared anonymous mapping is shmem_zero_setup's unlinked file, `file=/dev/zero\040(deleted)`
 * (seq_path escapes newline, tab, space and "=" as octal); its cache pages are not anon=, the
 * private copies in a MAP_PRIVATE file mapping are. The heap and stack tokens never appear.
 */
export function renderNumaMaps(k: Kernel, task: Task, readerCpu = 0): string {
  if (!task.mm) return "";
  const lines: string[] = [];
  for (const vma of task.mm.vmas) {
    let line = `${vma.start.toString(16).padStart(8, "0")} ${numaMapsPolicy(k, task, vma, readerCpu)}`;
    if (vma.shm) line += ` file=${seqPathEscape(vma.shm.path + (vma.shm.linked ? "" : " (deleted)"))}`;
    const hugetlb = (vma.flags & VM_HUGETLB) !== 0;
    if (hugetlb) line += " huge";
    const md = gatherVma(k, vma);
    if (md.pages > 0) {
      if (md.anon) line += ` anon=${md.anon}`;
      if (md.dirty) line += ` dirty=${md.dirty}`;
      if (md.pages !== md.anon && md.pages !== md.dirty) line += ` mapped=${md.pages}`;
      if (md.mapcountMax > 1) line += ` mapmax=${md.mapcountMax}`;
      if (md.active < md.pages && !hugetlb) line += ` active=${md.active}`;
      md.node.forEach((n, nid) => {
        if (n) line += ` N${nid}=${n}`;
      });
    }
    lines.push(line);
  }
  return lines.map((l) => l + "\n").join("");
}
