/** mm/pgtable-generic.c: ptep_clear_flush on the x86 TLB model: the flush of an inaccessible pte goes from step 6. */
import { describe, expect, it } from "vitest";
import { PROT_NONE, PROT_READ, pmdIndex, pteIndex } from "@balancenuma/include-linux";
import { ptepClearFlush } from "@balancenuma/mm-memory";
import { testbed } from "./testbed.js";

/** Clear the pte of one faulted-in page of a mapping with `prot`, a second CPU running the mm; the flushes it cost. */
function clearFlush(step: number, prot: number): { pageFlushes: number; remoteIpis: number } {
  const k = testbed({ step });
  const t = k.newTask(0);
  const addr = k.mmapAnon(t, 4096);
  k.touch(t, addr, 1, false);
  k.mprotect.sysMprotect(k, t.mm!, addr, 4096, prot);
  k.runAs(t, 0);
  const vma = k.memory.findVma(t.mm!, addr)!;
  const pt = t.mm!.pgtable;
  const ptep = pt.pmdVal[pmdIndex(addr)] * 512 + pteIndex(addr);
  const before = { ...k.tlb.stats };
  const pte = pt.pteFlags[ptep];
  expect(ptepClearFlush(k, vma, addr, ptep)).toBe(pte);
  expect(pt.pteFlags[ptep]).toBe(0);
  return { pageFlushes: k.tlb.stats.pageFlushes - before.pageFlushes, remoteIpis: k.tlb.stats.remoteIpis - before.remoteIpis };
}

describe("ptep_clear_flush", () => {
  it("flushes a PROT_NONE pte until step 5 and skips it from step 6 (pte_accessible)", () => {
    expect(clearFlush(5, PROT_NONE).pageFlushes).toBe(1);
    expect(clearFlush(6, PROT_NONE).pageFlushes).toBe(0);
  });
  it("always flushes an accessible pte", () => {
    expect(clearFlush(5, PROT_READ).pageFlushes).toBe(1);
    expect(clearFlush(6, PROT_READ).pageFlushes).toBe(1);
  });
});
