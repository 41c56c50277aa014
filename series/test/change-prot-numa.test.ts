import { describe, it, expect } from "vitest";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PMD_SIZE, PROT_READ, PROT_WRITE, TOUCH_LATENCY, pmdIndex, pteOffset } from "@balancenuma/include-linux";
import { _PAGE_NUMA, _PAGE_PRESENT } from "@balancenuma/arch-x86-pgtable";
import { NUMA_PTE_UPDATES } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

const isNuma = (flags: number) => (flags & (_PAGE_NUMA | _PAGE_PRESENT)) === _PAGE_NUMA;

/** A kernel at `step` (CONFIG_NUMA_BALANCING forced when asked) with a pmd-aligned anon range. */
function boot(step: number, thp: "always" | "never", config = true) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp, debug: true, features: config ? { CONFIG_NUMA_BALANCING: true } : {} });
  const t = k.createProcess({ comm: "cpn", cpusAllowed: 0b0011n });
  const u = k.userApi(t);
  const raw = u.mmap(0, 3 * PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  const pt = t.mm!.pgtable;
  const pte = (i: number) => pt.pteFlags[pteOffset(pt, a + i * PAGE_SIZE)];
  const pmd = () => pt.pmdFlags[pmdIndex(a)];
  const touch = (from: number, n: number) => u.touch(a + from * PAGE_SIZE, n, PAGE_SIZE, 8, true, TOUCH_LATENCY);
  const cpn = (from: number, n: number) => k.mempolicy.changeProtNuma(k, k.memory.findVma(t.mm!, a)!, a + from * PAGE_SIZE, a + (from + n) * PAGE_SIZE);
  return { k, u, a, pte, pmd, touch, cpn };
}

describe("change_prot_numa", () => {
  it("does not exist before step 23 and is a 0 stub without CONFIG_NUMA_BALANCING", () => {
    for (const [step, config] of [
      [22, true],
      [23, false],
      [24, false],
    ] as const) {
      const s = boot(step, "never", config);
      s.touch(0, 4);
      expect(s.cpn(0, 4)).toBe(0);
      expect(isNuma(s.pte(0))).toBe(false);
    }
  });

  it("step 23's own walker: marks private ptes, and the pmd only if a pte was marked", () => {
    const s = boot(23, "never");
    s.touch(0, 4);
    expect(s.cpn(4, 4)).toBe(0); // none ptes only
    expect(isNuma(s.pmd())).toBe(false);
    expect(s.cpn(0, 3)).toBe(3);
    expect([0, 1, 2, 3].map((i) => isNuma(s.pte(i)))).toEqual([true, true, true, false]);
    expect(isNuma(s.pmd())).toBe(true);
    expect(s.cpn(0, 3)).toBe(0); // already numa
  });

  it("step 23 marks a private THP numa", () => {
    const s = boot(23, "always");
    s.touch(0, 1);
    expect(s.cpn(0, 512)).toBe(512);
    expect(isNuma(s.pmd())).toBe(true);
    expect(s.cpn(0, 512)).toBe(0);
  });

  it("numa_pte_updates counts what it returns from step 30", () => {
    for (const [step, counted] of [
      [29, 0],
      [30, 4],
    ] as const) {
      const s = boot(step, "never");
      s.touch(0, 4);
      expect(s.cpn(0, 8)).toBe(4);
      expect(s.k.vm.events[NUMA_PTE_UPDATES]).toBe(counted);
    }
  });
});
