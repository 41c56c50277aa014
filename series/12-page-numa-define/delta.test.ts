/** Step 12: _PAGE_NUMA is defined (= _PAGE_PROTNONE, 0x100); nothing uses it yet. */
import { describe, it, expect } from "vitest";
import { bootKernel } from "@balancenuma/kernel";
import { _PAGE_NUMA, _PAGE_PROTNONE, pageNumaBit } from "@balancenuma/arch-x86-pgtable";
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

describe("step 12: page-numa-define", () => {
  it("the header has _PAGE_NUMA from step 12, equal to _PAGE_PROTNONE (bit 8)", () => {
    expect(_PAGE_NUMA).toBe(_PAGE_PROTNONE);
    expect(pageNumaBit(bootKernel({ step: 11, topology: TOPO }))).toBe(0);
    expect(pageNumaBit(bootKernel({ step: 12, topology: TOPO }))).toBe(0x100);
  });

  it("runs are identical at 11 and 12", () => {
    expect(fingerprint(12)).toEqual(fingerprint(11));
  });
});
