/**
 * Step 14: get_user_pages adds FOLL_NUMA (unless FOLL_FORCE) and follow_page treats numa entries as
 * absent with it, so gup takes the hinting fault. Inert as built (no numa entries can exist); with
 * the config forced on and a hinting-fault handler to resolve it (step 16's, forced too), gup at 14
 * faults where gup at 13 returned the hinted page untouched.
 */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import { FOLL_FORCE, MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PMD_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM, pteOffset } from "@balancenuma/include-linux";
import { pteMknuma, pteNuma } from "@balancenuma/arch-x86-pgtable";
import { PGFAULT } from "@balancenuma/vmstat";

const TOPO = "nodes=2,cpus=2,mem=128M";

function gupOnHint(step: number, foll: number, features: Record<string, boolean> = { CONFIG_NUMA_BALANCING: true, numaHintingFaults: true }) {
  const k = bootAtStep({ step, topology: TOPO, thp: "never", debug: true, features });
  const t = k.createProcess();
  const u = k.userApi(t);
  const a = u.mmap(0, PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  u.touch(a, 1, PAGE_SIZE, 64, true, TOUCH_STREAM);
  const pt = t.mm!.pgtable;
  const ptep = pteOffset(pt, a);
  const pfn = pt.ptePfn[ptep];
  pt.pteFlags[ptep] = pteMknuma(k, pt.pteFlags[ptep]);
  const faults = k.vm.events[PGFAULT];
  expect(k.memory.getUserPage(k, t.mm!, a, foll)).toBe(pfn);
  k.checkInvariants();
  return { faults: k.vm.events[PGFAULT] - faults, hinted: pteNuma(k, pt.pteFlags[ptep]), marked: pteMknuma(k, 0x67) !== 0x67 };
}

describe("step 14: gup-numa-faults", () => {
  it("gup takes a hinting fault on a numa pte from step 14 (config forced on)", () => {
    expect(gupOnHint(13, 0)).toEqual({ faults: 0, hinted: true, marked: true });
    expect(gupOnHint(14, 0)).toEqual({ faults: 1, hinted: false, marked: true });
  });

  it("FOLL_FORCE gup does not add FOLL_NUMA (a PROT_NONE pte would look like a hint)", () => {
    expect(gupOnHint(14, FOLL_FORCE)).toEqual({ faults: 0, hinted: true, marked: true });
  });

  it("as built nothing can be hinted: gup is as at 13", () => {
    const off = { CONFIG_NUMA_BALANCING: false };
    expect(gupOnHint(14, 0, off)).toEqual(gupOnHint(13, 0, off));
    expect(gupOnHint(14, 0, off)).toEqual({ faults: 0, hinted: false, marked: false });
  });
});
