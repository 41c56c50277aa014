/** Step 05: pte_accessible() exists (x86: PRESENT set); no caller yet, so runs are identical. */
import { describe, it, expect } from "vitest";
import { bootKernel } from "@balancenuma/kernel";
import { PAGE_COPY, PAGE_NONE, pteAccessibleFor, ptePresent } from "@balancenuma/arch-x86-pgtable";
import { Script, call, sweep } from "@balancenuma/workloads";
import type { KernelInstance } from "@balancenuma/kernel";

/** Two processes, one per node: sweep 4 MiB, mprotect it read-only and back, sweep again. */
function startMixed(k: KernelInstance): void {
  for (const cpus of [1n, 2n]) {
    let buf = 0;
    const len = 4 << 20;
    const program = new Script([
      call("mmap", (u) => (buf = u.mmap(0, len, 3, 0x22))),
      sweep(() => buf, len, { loops: 2 }),
      call("mprotect", (u) => u.mprotect(buf, len, 1)),
      call("mprotect", (u) => u.mprotect(buf, len, 3)),
      sweep(() => buf, len, { loops: 3 }),
    ]);
    k.createProcess({ comm: "mixed", program, cpusAllowed: cpus });
  }
}

const TOPO = "nodes=2,cpus=2,mem=128M";

function fingerprint(step: number) {
  const k = bootKernel({ step, topology: TOPO, debug: true });
  startMixed(k);
  k.runFor(40e6);
  return { events: Array.from(k.vm.events), tlb: { ...k.tlb.stats }, mem: { ...k.memory.stats }, clocks: k.cpus.map((c) => c.clock) };
}

describe("step 05: pte-accessible", () => {
  it("a PROT_NONE pte is present but, from step 05, not accessible (the generic fallback said it was)", () => {
    const k4 = bootKernel({ step: 4, topology: TOPO });
    const k5 = bootKernel({ step: 5, topology: TOPO });
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
