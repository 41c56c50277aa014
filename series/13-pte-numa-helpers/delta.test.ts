/**
 * Step 13: pte_numa/pmd_numa/pte_mknuma/... and the x86 pmd_bad exception. They are compiled only
 * with CONFIG_NUMA_BALANCING, which no architecture can select until step 26: as built, step 13 is
 * identical to 12; with the config forced on, the helpers work.
 */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PMD_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM, pmdIndex } from "@balancenuma/include-linux";
import { _PAGE_ACCESSED, _PAGE_PRESENT, pmdBad, pmdMknuma, pteMknonnuma, pteMknuma, pteNuma, ptePresent } from "@balancenuma/arch-x86-pgtable";
import { fingerprint, TOPO } from "../testing.js";

const CONFIG = { CONFIG_NUMA_BALANCING: true };

/** follow_page (no FOLL_NUMA) of a page whose table pmd was marked numa. */
function followUnderNumaPmd(step: number, features = CONFIG) {
  const k = bootAtStep({ step, topology: TOPO, thp: "never", features });
  const t = k.createProcess();
  const u = k.userApi(t);
  const a = u.mmap(0, PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  u.touch(a, 1, PAGE_SIZE, 64, true, TOUCH_STREAM);
  const pt = t.mm!.pgtable;
  pt.pmdFlags[pmdIndex(a)] = (pt.pmdFlags[pmdIndex(a)] & ~_PAGE_PRESENT) | 0x100; // a numa table pmd
  return k.memory.followPage(k, k.memory.findVma(t.mm!, a)!, a, 0);
}

describe("step 13: pte-numa-helpers", () => {
  const pte = 0x67; // PRESENT|RW|USER|ACCESSED|DIRTY
  it("config forced on: mknuma clears PRESENT and sets bit 8; the entry stays pte_present; mknonnuma restores it", () => {
    const k12 = bootAtStep({ step: 12, topology: TOPO, features: CONFIG });
    const k13 = bootAtStep({ step: 13, topology: TOPO, features: CONFIG });
    const n = pteMknuma(k13, pte);
    expect(n).toBe((pte & ~_PAGE_PRESENT) | 0x100);
    expect(pteNuma(k13, n) && ptePresent(n)).toBe(true);
    expect(pteMknonnuma(k13, n)).toBe(pte | _PAGE_ACCESSED);
    expect(pteMknuma(k12, pte)).toBe(pte);
    expect(pteNuma(k12, n)).toBe(false);
    expect(pmdBad(k13, pmdMknuma(k13, 0x67))).toBe(false);
    expect(pmdBad(k12, (0x67 & ~_PAGE_PRESENT) | 0x100)).toBe(true);
  });

  it("config forced on: a numa table pmd is a good pmd to follow_page from 13 (bad before)", () => {
    expect(followUnderNumaPmd(12)).toBe(-1);
    expect(followUnderNumaPmd(13)).toBeGreaterThanOrEqual(0);
  });

  it("as built (config off) the helpers are stubs: step 13 is identical to 12", () => {
    const k = bootAtStep({ step: 13, topology: TOPO });
    expect(pteMknuma(k, pte)).toBe(pte);
    expect(followUnderNumaPmd(13, { CONFIG_NUMA_BALANCING: false })).toBe(-1);
    expect(fingerprint(13)).toEqual(fingerprint(12));
  });
});
