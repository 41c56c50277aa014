/** Step 05: pte_accessible() exists (x86: PRESENT set); no caller yet, so runs are identical. */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import { PAGE_COPY, PAGE_NONE, pteAccessibleFor, ptePresent } from "@balancenuma/arch-x86-pgtable";
import { fingerprint, TOPO } from "../testing.js";

describe("step 05: pte-accessible", () => {
  it("a PROT_NONE pte is present but, from step 05, not accessible (the generic fallback said it was)", () => {
    const k4 = bootAtStep({ step: 4, topology: TOPO });
    const k5 = bootAtStep({ step: 5, topology: TOPO });
    expect(ptePresent(PAGE_NONE)).toBe(true);
    expect(pteAccessibleFor(k4, PAGE_NONE)).toBe(true);
    expect(pteAccessibleFor(k5, PAGE_NONE)).toBe(false);
    expect(pteAccessibleFor(k5, PAGE_COPY)).toBe(true);
    expect(pteAccessibleFor(k5, 0)).toBe(false);
  });

  it("nothing uses it yet: runs are identical at 04 and 05", () => {
    expect(fingerprint(5)).toEqual(fingerprint(4));
  });
});
