/** Step 15: split_huge_page turns a numa huge pmd into 512 numa ptes (config forced on). */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import {
  HPAGE_PMD_NR,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_READ,
  PROT_WRITE,
  PTRS_PER_PTE,
  TOUCH_STREAM,
  pmdIndex,
} from "@balancenuma/include-linux";
import { pmdMknuma, pmdNuma, pmdTransHuge, pteNuma } from "@balancenuma/arch-x86-pgtable";

const TOPO = "nodes=2,cpus=2,mem=128M";

/** Numa ptes after splitting a THP whose pmd was marked numa (or not). */
function splitHinted(step: number, mark: boolean, features = { CONFIG_NUMA_BALANCING: true }) {
  const k = bootAtStep({ step, topology: TOPO, thp: "always", debug: true, features });
  const t = k.createProcess();
  const u = k.userApi(t);
  const raw = u.mmap(0, 2 * PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  u.touch(a, 1, PAGE_SIZE, 64, true, TOUCH_STREAM);
  const pt = t.mm!.pgtable;
  const i = pmdIndex(a);
  expect(pmdTransHuge(pt.pmdFlags[i])).toBe(true);
  if (mark) pt.pmdFlags[i] = pmdMknuma(k, pt.pmdFlags[i]);
  expect(pmdNuma(k, pt.pmdFlags[i])).toBe(mark && features.CONFIG_NUMA_BALANCING);
  expect(k.hugeMemory.splitHugePage(k, pt.pmdVal[i])).toBe(0);
  k.checkInvariants();
  const base = pt.pmdVal[i] * PTRS_PER_PTE;
  let numa = 0;
  for (let j = 0; j < PTRS_PER_PTE; j++) if (pteNuma(k, pt.pteFlags[base + j])) numa++;
  return numa;
}

describe("step 15: thp-split-numa", () => {
  it("the hint survives the split on every 4K pte from step 15 (it was lost at 14)", () => {
    expect(splitHinted(14, true)).toBe(0);
    expect(splitHinted(15, true)).toBe(HPAGE_PMD_NR);
    expect(splitHinted(15, false)).toBe(0);
  });

  it("as built no pmd can be marked: identical to 14", () => {
    const off = { CONFIG_NUMA_BALANCING: false };
    expect(splitHinted(15, true, off)).toBe(splitHinted(14, true, off));
  });
});
