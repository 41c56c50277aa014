/**
 * arch/x86/mm/tlb.c: TLB flushes and shootdown IPIs. The model has no TLB contents: it counts
 * flushes and charges their cost (local invlpg on the flushing CPU, an IPI per other CPU that runs
 * the mm, with the interrupt charged to that CPU).
 */
import { PAGE_SHIFT, SYS_TLB_FLUSH, SYS_TLB_IPI, type Kernel, type MmStruct, type TlbOps, type TlbStats } from "@balancenuma/include-linux";

/**
 * flush_tlb_range flushes the whole TLB instead of page by page when the range has more than this
 * many pages. 3.7 compares the page count with the last-level 4K dTLB size shifted right by
 * tlb_flushall_shift (per CPU model, e.g. 512 entries >> 4 = 32 on the Opterons the cost profile
 * models); the model uses "more than 33 pages" and charges a full flush as 33 invlpgs (the reload
 * itself is cheap, the refills that follow are not otherwise modelled).
 */
export const TLB_FLUSHALL_THRESHOLD = 33;

/** Is `mm` the address space of the task running now on the current CPU (current->active_mm == mm)? */
function localUses(k: Kernel, mm: MmStruct): boolean {
  return k.current?.mm === mm || k.cpus[k.currentCpu]?.curr?.mm === mm;
}

/** flush_tlb_others: one IPI per other CPU running the mm. Returns the number of targets. */
function flushTlbOthers(k: Kernel, mm: MmStruct, stats: TlbStats): number {
  const cpus = k.cpus;
  const self = k.currentCpu;
  let n = 0;
  for (let c = 0; c < cpus.length; c++) {
    if (c === self || cpus[c].curr?.mm !== mm) continue;
    k.charge(k.cost.ipiSendNs, SYS_TLB_IPI);
    k.chargeCpu(c, k.cost.ipiReceiveNs, SYS_TLB_IPI);
    n++;
  }
  stats.remoteIpis += n;
  return n;
}

/** arch/x86/mm/tlb.c: the TLB flush operations of one kernel instance, with their counters. */
export function createTlbOps(): TlbOps {
  const stats: TlbStats = { pageFlushes: 0, rangeFlushes: 0, localFlushes: 0, fullFlushes: 0, remoteIpis: 0 };
  return {
    stats,

    /** arch/x86/mm/tlb.c: flush_tlb_page */
    flushTlbPage(k: Kernel, mm: MmStruct, _addr: number): void {
      stats.pageFlushes++;
      if (localUses(k, mm)) {
        stats.localFlushes++;
        k.charge(k.cost.tlbFlushLocalNs, SYS_TLB_FLUSH);
      }
      flushTlbOthers(k, mm, stats);
    },

    /** arch/x86/mm/tlb.c: flush_tlb_range (flush_tlb_mm_range in later kernels) */
    flushTlbRange(k: Kernel, mm: MmStruct, start: number, end: number): void {
      stats.rangeFlushes++;
      if (localUses(k, mm)) {
        const pages = Math.max(0, Math.ceil((end - start) / 2 ** PAGE_SHIFT));
        stats.localFlushes++;
        if (pages > TLB_FLUSHALL_THRESHOLD) {
          stats.fullFlushes++;
          k.charge(TLB_FLUSHALL_THRESHOLD * k.cost.tlbFlushLocalNs, SYS_TLB_FLUSH);
        } else k.charge(pages * k.cost.tlbFlushLocalNs, SYS_TLB_FLUSH);
      }
      flushTlbOthers(k, mm, stats);
    },

    /** arch/x86/include/asm/tlbflush.h: __flush_tlb_one */
    flushTlbLocal(k: Kernel, _addr: number): void {
      stats.localFlushes++;
      k.charge(k.cost.tlbFlushLocalNs, SYS_TLB_FLUSH);
    },

    /** mm_cpumask(mm): CPUs whose running task uses this mm. */
    mmCpus(k: Kernel, mm: MmStruct): number[] {
      const out: number[] = [];
      for (let c = 0; c < k.cpus.length; c++) if (k.cpus[c].curr?.mm === mm) out.push(c);
      return out;
    },
  };
}
