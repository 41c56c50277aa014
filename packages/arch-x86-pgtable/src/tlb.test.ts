import { describe, it, expect } from "vitest";
import { BASELINE_FEATURES, PageTable, type Features, type Kernel, type MmStruct, type Vma } from "@balancenuma/include-linux";
import { COST_PROFILES } from "@balancenuma/machine";
import { createTlbOps, TLB_FLUSHALL_THRESHOLD } from "./tlb.js";
import { ptepSetAccessFlags } from "./mm-pgtable.js";
import { PAGE_COPY, _PAGE_DIRTY, _PAGE_RW } from "./pgtable-types.js";

const cost = COST_PROFILES["opteron-2012"];

/** Four CPUs; CPUs 0, 1 and 3 run tasks of `mm`, CPU 2 runs another mm. Current: CPU 0. */
function setup(features: Partial<Features> = {}) {
  const mm = { id: 1, pgtable: new PageTable() } as unknown as MmStruct;
  const other = { id: 2 } as unknown as MmStruct;
  const task = (m: MmStruct) => ({ mm: m, stimeNs: 0 });
  const cpus = [mm, mm, other, mm].map((m, id) => ({ id, node: 0, curr: task(m), clock: 0, idleNs: 0, pendingIrqNs: 0 }));
  const k = {
    features: { ...BASELINE_FEATURES, ...features },
    cost,
    cpus,
    currentCpu: 0,
    current: cpus[0].curr,
    charge(ns: number) {
      cpus[k.currentCpu].clock += ns;
    },
    chargeCpu(c: number, ns: number) {
      cpus[c].pendingIrqNs += ns;
    },
    tlb: createTlbOps(),
  } as unknown as Kernel;
  const vma = { mm, start: 0, end: 0, flags: 0 } as unknown as Vma;
  return { k, mm, vma, cpus };
}

describe("TLB flushes", () => {
  it("flush_tlb_page IPIs every other CPU running the mm and charges both sides", () => {
    const { k, mm, cpus } = setup();
    k.tlb.flushTlbPage(k, mm, 0);
    expect(k.tlb.stats).toMatchObject({ pageFlushes: 1, localFlushes: 1, remoteIpis: 2 });
    expect(cpus[0].clock).toBe(cost.tlbFlushLocalNs + 2 * cost.ipiSendNs);
    expect(cpus.map((c) => c.pendingIrqNs)).toEqual([0, cost.ipiReceiveNs, 0, cost.ipiReceiveNs]);
    expect(k.tlb.mmCpus(k, mm)).toEqual([0, 1, 3]);
  });
  it("flush_tlb_range flushes everything above the threshold", () => {
    const { k, mm, cpus } = setup();
    k.tlb.flushTlbRange(k, mm, 0, 4096 * 4);
    expect(k.tlb.stats.fullFlushes).toBe(0);
    expect(cpus[0].clock).toBe(4 * cost.tlbFlushLocalNs + 2 * cost.ipiSendNs);
    k.tlb.flushTlbRange(k, mm, 0, 4096 * (TLB_FLUSHALL_THRESHOLD + 1));
    expect(k.tlb.stats).toMatchObject({ rangeFlushes: 2, fullFlushes: 1, remoteIpis: 4 });
  });
});

describe("ptep_set_access_flags gate", () => {
  const upgrade = (how: Features["x86PtepSetAccessFlagsFlush"]) => {
    const { k, vma, mm } = setup({ x86PtepSetAccessFlagsFlush: how });
    const slot = mm.pgtable.allocSlot(7);
    mm.pgtable.pteFlags[slot * 512] = PAGE_COPY;
    const changed = ptepSetAccessFlags(k, vma, 0, slot * 512, PAGE_COPY | _PAGE_RW | _PAGE_DIRTY, true);
    expect(changed).toBe(true);
    expect(mm.pgtable.pteFlags[slot * 512]).toBe(PAGE_COPY | _PAGE_RW | _PAGE_DIRTY);
    return k.tlb.stats;
  };
  it("3.7-rc6 flushes with IPIs; step 02 flushes locally; step 03 not at all", () => {
    expect(upgrade("flush_tlb_page")).toMatchObject({ localFlushes: 1, remoteIpis: 2 });
    expect(upgrade("local")).toMatchObject({ localFlushes: 1, remoteIpis: 0 });
    expect(upgrade("none")).toMatchObject({ localFlushes: 0, remoteIpis: 0 });
  });
  it("does not write an unchanged entry or a change without dirty", () => {
    const { k, vma, mm } = setup();
    const slot = mm.pgtable.allocSlot(7);
    mm.pgtable.pteFlags[slot * 512] = PAGE_COPY;
    expect(ptepSetAccessFlags(k, vma, 0, slot * 512, PAGE_COPY, true)).toBe(false);
    expect(ptepSetAccessFlags(k, vma, 0, slot * 512, PAGE_COPY | _PAGE_DIRTY, false)).toBe(true);
    expect(mm.pgtable.pteFlags[slot * 512]).toBe(PAGE_COPY);
    expect(k.tlb.stats.pageFlushes).toBe(0);
  });
});
