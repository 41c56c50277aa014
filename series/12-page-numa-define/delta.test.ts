/** Step 12: _PAGE_NUMA is defined (= _PAGE_PROTNONE, 0x100); nothing uses it yet. */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import { _PAGE_NUMA, _PAGE_PROTNONE, pageNumaBit } from "@balancenuma/arch-x86-pgtable";
import { fingerprint, TOPO } from "../testing.js";

describe("step 12: page-numa-define", () => {
  it("the header has _PAGE_NUMA from step 12, equal to _PAGE_PROTNONE (bit 8)", () => {
    expect(_PAGE_NUMA).toBe(_PAGE_PROTNONE);
    expect(pageNumaBit(bootAtStep({ step: 11, topology: TOPO }))).toBe(0);
    expect(pageNumaBit(bootAtStep({ step: 12, topology: TOPO }))).toBe(0x100);
  });

  it("runs are identical at 11 and 12", () => {
    expect(fingerprint(12)).toEqual(fingerprint(11));
  });
});
