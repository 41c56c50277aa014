import { describe, it, expect } from "vitest";
import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_INTERLEAVE,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  nodeMask,
  pmdIndex,
  type Features,
  type MmStruct,
  pteOffset,
} from "@balancenuma/include-linux";
import { _PAGE_NUMA, _PAGE_PRESENT, pmdTransHuge } from "@balancenuma/arch-x86-pgtable";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const isNuma = (flags: number) => (flags & (_PAGE_NUMA | _PAGE_PRESENT)) === _PAGE_NUMA;

/** A kernel at `step` built with CONFIG_NUMA_BALANCING (forced before step 26), one process on node 0. */
function boot(step: number, thp: "always" | "never" = "never", features: Partial<Features> = {}) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp, debug: true, features: { CONFIG_NUMA_BALANCING: true, ...features } });
  const t = k.createProcess({ comm: "protnuma", cpusAllowed: 0b0011n });
  const u = k.userApi(t);
  const mm = t.mm as MmStruct;
  const raw = u.mmap(0, 3 * PMD_SIZE, RW, ANON);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE; // a pmd-aligned 2 MiB inside the mapping
  const vma = k.memory.findVma(mm, a)!;
  const ptep = (addr: number) => pteOffset(mm.pgtable, addr);
  const pte = (addr: number) => mm.pgtable.pteFlags[ptep(addr)];
  const pmd = (addr: number) => mm.pgtable.pmdFlags[pmdIndex(addr)];
  const touch = (addr: number, n = 1) => u.touch(addr, n, PAGE_SIZE, 8, true, TOUCH_LATENCY);
  const protNuma = (start: number, end: number) => k.mprotect.changeProtection(k, vma, start, end, vma.flags, false, true);
  return { k, t, u, mm, a, vma, pte, pmd, touch, protNuma };
}

describe("change_protection(prot_numa) (step 24)", () => {
  it("marks private present ptes numa, counts only real updates, and marks the pmd", () => {
    const s = boot(24);
    for (const i of [0, 4, 9]) s.touch(s.a + i * PAGE_SIZE);
    expect(s.protNuma(s.a, s.a + 10 * PAGE_SIZE)).toBe(3);
    for (const i of [0, 4, 9]) expect(isNuma(s.pte(s.a + i * PAGE_SIZE))).toBe(true);
    expect(isNuma(s.pmd(s.a))).toBe(true);
    // Already numa: walked, not updated, not counted.
    expect(s.protNuma(s.a, s.a + 10 * PAGE_SIZE)).toBe(0);
  });

  it("the pmd is marked even when no pte changed and the range covers part of it (steps 24-31)", () => {
    const s = boot(24);
    s.touch(s.a);
    expect(s.protNuma(s.a + 5 * PAGE_SIZE, s.a + 7 * PAGE_SIZE)).toBe(0);
    expect(isNuma(s.pte(s.a))).toBe(false);
    expect(isNuma(s.pmd(s.a))).toBe(true);
  });

  it("shared pages are left alone", () => {
    const s = boot(24);
    s.touch(s.a, 2);
    s.u.fork({ run: () => ({ kind: "exit", code: 0 }) } as never, "child");
    expect(s.protNuma(s.a, s.a + 2 * PAGE_SIZE)).toBe(0);
    expect(isNuma(s.pte(s.a))).toBe(false);
  });

  it("from step 32 a pmd over pages of two nodes is not marked (all_same_node)", () => {
    for (const [step, marked] of [
      [31, true],
      [32, false],
    ] as const) {
      const s = boot(step);
      expect(s.u.setMempolicy(MPOL_INTERLEAVE, nodeMask(0, 1), 3)).toBe(0);
      s.touch(s.a, 4);
      expect(s.protNuma(s.a, s.a + 4 * PAGE_SIZE)).toBe(4);
      expect(isNuma(s.pmd(s.a))).toBe(marked);
      // One node only: marked at both steps.
      const o = boot(step);
      o.touch(o.a, 4);
      o.protNuma(o.a, o.a + 4 * PAGE_SIZE);
      expect(isNuma(o.pmd(o.a))).toBe(true);
    }
  });

  it("a covered THP counts HPAGE_PMD_NR", () => {
    const s = boot(24, "always");
    s.touch(s.a);
    expect(pmdTransHuge(s.pmd(s.a))).toBe(true);
    expect(s.protNuma(s.a, s.a + PMD_SIZE)).toBe(512);
  });

  it("before step 24 prot_numa does not exist: the call is a plain protection change", () => {
    const s = boot(23);
    s.touch(s.a, 3);
    expect(s.protNuma(s.a, s.a + 3 * PAGE_SIZE)).toBe(3);
    expect(isNuma(s.pte(s.a))).toBe(false);
    expect(isNuma(s.pmd(s.a))).toBe(false);
  });
});
