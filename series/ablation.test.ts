import { describe, expect, it } from "vitest";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PMD_SIZE, PROT_READ, PROT_WRITE, TOUCH_LATENCY, pteOffset, pageToNid } from "@balancenuma/include-linux";
import { NUMA_PAGE_MIGRATE } from "@balancenuma/vmstat";
import { DEPENDENCIES, KernelSpecError, SERIES, checkKernelSpec, featuresAtStep, gatesSetBy, kernelLabel, parseKernelSpec, revertConflict } from "./index.js";
import { bootAtStep } from "./boot.js";

const diff = (a: object, b: object) =>
  Object.keys(a).filter((g) => JSON.stringify((a as Record<string, unknown>)[g]) !== JSON.stringify((b as Record<string, unknown>)[g]));

describe("kernels without some steps", () => {
  it("leave out exactly what each reverted step sets: its gates keep the values of the step before it", () => {
    let allowed = 0;
    for (const s of SERIES) {
      if (revertConflict(49, [s.number]) !== undefined) continue;
      allowed++;
      const full = featuresAtStep(49);
      const without = featuresAtStep(49, [s.number]) as unknown as Record<string, unknown>;
      const before = featuresAtStep(s.number - 1) as unknown as Record<string, unknown>;
      // No later step touches what this one changes (that would be a dependency): all of it goes.
      expect(diff(full, without).sort(), `49-${s.number}`).toEqual(diff(featuresAtStep(s.number), before).sort());
      for (const g of diff(full, without)) expect(without[g]).toEqual(before[g]);
    }
    expect(allowed).toBeGreaterThan(10);
    expect(diff(featuresAtStep(49), featuresAtStep(49, [40]))).toEqual(["twoStageFilter"]);
  });

  it("refuse a kernel in which a kept step needs a reverted one, in one line naming both and the way out", () => {
    const refused = (step: number, reverted: number[]) => {
      try {
        checkKernelSpec(step, reverted);
      } catch (e) {
        expect(e).toBeInstanceOf(KernelSpecError);
        const m = (e as Error).message;
        expect(m).not.toContain("\n");
        return m;
      }
      throw new Error(`${step}-${reverted.join("-")} was not refused`);
    };
    // Declared: the filter keeps its state in page->_last_nid.
    expect(refused(49, [37])).toMatch(
      /^step 38 \(thp-split-last-nid\) needs step 37 \(last-nid\): .*; steps 39 and 40 need it too; revert 38, 39 and 40 as well, or build at a step below 38$/,
    );
    // Found from the gates: step 49 changes the lock kind step 48 chose.
    expect(refused(49, [48])).toMatch(/^step 49 \(rmap-walk-read-lock\) needs step 48 \(anon-vma-rwsem\): it changes the gate anonVmaLock, which step 48 sets/);
    expect(refused(49, [27])).toContain("step 28 (scan-present-ptes) needs step 27 (wss-rate)");
    // Without the dependents, or below them, the kernel can be built.
    expect(checkKernelSpec(49, [40, 39, 38, 37])).toEqual({ step: 49, reverted: [37, 38, 39, 40] });
    expect(checkKernelSpec(39, [37, 38, 39])).toEqual({ step: 39, reverted: [37, 38, 39] });
    expect(checkKernelSpec(48, [48]).reverted).toEqual([48]);
    expect(refused(30, [40])).toBe("a kernel at step 30 does not have step 40; revert steps 1 to 30, or build at step 40 or later");
    expect(refused(49, [40, 40])).toBe("step 40 is reverted twice; name it once");
    expect(refused(49, [0])).toBe("there is no step 0 to revert; revert steps 1 to 49");
    expect(() => featuresAtStep(49, [37])).toThrow(KernelSpecError);
  });

  it("know each dependency from its step: declared ones point back, and every gate a step changes after another is one", () => {
    for (const d of DEPENDENCIES) expect(d.on, `${d.step} -> ${d.on}`).toBeLessThan(d.step);
    for (const s of SERIES)
      for (const g of gatesSetBy(s.number)) {
        const last = SERIES.slice(0, s.number - 1)
          .filter((p) => gatesSetBy(p.number).includes(g))
          .at(-1);
        if (last)
          expect(
            DEPENDENCIES.some((d) => d.step === s.number && d.on === last.number),
            `${s.number} on ${last.number} (${g})`,
          ).toBe(true);
      }
  });

  it("are written STEP-N[-M...]; a bad spec is one line saying how to write one", () => {
    expect(parseKernelSpec("49")).toEqual({ step: 49, reverted: [] });
    expect(parseKernelSpec("two-stage-filter")).toEqual({ step: 40, reverted: [] });
    expect(parseKernelSpec("49-41-40")).toEqual({ step: 49, reverted: [40, 41] });
    expect(kernelLabel(parseKernelSpec(" 49-41-40 "))).toBe("49-40-41");
    for (const [bad, why] of [
      ["49-", /^'49-' is not a kernel: give a step \(a number 0-49 or a key\) or STEP-N\[-M\.\.\.\], the step without steps N, M \(e\.g\. 49-40\)$/],
      ["-40", /is not a kernel/],
      ["49--40", /is not a kernel/],
      ["49-two-stage-filter", /is not a kernel/],
      ["", /is not a kernel/],
      ["50", /^'50': there is no step 50; steps are 0 to 49$/],
      ["49-50", /^there is no step 50 to revert/],
      ["40-49", /^a kernel at step 40 does not have step 49/],
      ["49-40-40", /^step 40 is reverted twice/],
      ["49-0", /^there is no step 0 to revert/],
      ["49-37", /^step 38 \(thp-split-last-nid\) needs step 37/],
    ] as const) {
      expect(() => parseKernelSpec(bad), bad).toThrow(KernelSpecError);
      expect(() => parseKernelSpec(bad), bad).toThrow(why);
    }
  });

  it("49-40 migrates pages faulted alternately from both nodes, which 49 keeps where they are", () => {
    /** A policy-less process with 4 pages on node 0, hinted and touched from node 0 and node 1 in turn. */
    const alternate = (revert: number[]) => {
      const k = bootAtStep({ step: 49, revert, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
      const t = k.createProcess({ comm: "shared", cpusAllowed: 0b0011n });
      const u = k.userApi(t);
      const raw = u.mmap(0, 2 * PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
      const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
      u.touch(a, 4, PAGE_SIZE, 8, true, TOUCH_LATENCY);
      const vma = k.memory.findVma(t.mm!, a)!;
      for (const cpus of [0b1100n, 0b0011n, 0b1100n, 0b0011n]) {
        expect(k.userApi(t).schedSetaffinity(0, cpus)).toBe(0);
        k.mempolicy.changeProtNuma(k, vma, a, a + 4 * PAGE_SIZE);
        k.userApi(t).touch(a, 4, PAGE_SIZE, 8, false, TOUCH_LATENCY);
        k.checkInvariants();
      }
      const pt = t.mm!.pgtable;
      return { migrated: k.vm.events[NUMA_PAGE_MIGRATE], node: pageToNid(k.pages, pt.ptePfn[pteOffset(pt, a)]) };
    };
    expect(alternate([])).toEqual({ migrated: 0, node: 0 });
    expect(alternate([40])).toEqual({ migrated: 16, node: 0 });
  });
});
