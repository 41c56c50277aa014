/**
 * The time model seen through workloads: CPUs interleave in simulated time, wake-ups happen when
 * they happen, and the machine's seeded noise varies runs, so outcomes come from the kernel being
 * modelled, not from the order in which threads are listed or from the event loop's lockstep.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { vmstatEntries } from "@balancenuma/vmstat";
import { runWorkload } from "./run.js";
import type { WorkloadSpecInput } from "./spec.js";
import { validateSpec } from "./spec-problems.js";

type Phase = NonNullable<NonNullable<WorkloadSpecInput["processes"][number]["threads"]>[number]["phases"]>[number];

/** One process whose two threads, one per node, run the given phases over its one region. */
async function twoNodeProcess(name: string, size: string, seconds: number, phases: [Phase[], Phase[]], order: readonly [0, 1] | readonly [1, 0]) {
  return await validateSpec({
    name,
    seconds,
    processes: [{ name, regions: [{ name: "buf", size }], threads: order.map((n) => ({ name: `node${n}`, cpus: { nodes: [n] }, phases: phases[n] })) }],
  });
}

/** Strict turns: the node-0 thread sweeps `loops` times while the other waits, then the other way round, `rounds` times. */
function turns(loops: number, rounds: number): [Phase[], Phase[]] {
  const sweep: Phase = { access: { region: "buf", loops } };
  const wait: Phase = { barrier: true };
  const a: Phase[] = [];
  const b: Phase[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(sweep, wait, wait);
    b.push(wait, sweep, wait);
  }
  return [a, b];
}

const counter = (k: Parameters<NonNullable<Parameters<typeof runWorkload>[0]["onTick"]>>[0], name: string) =>
  vmstatEntries(k.vm, k.features).find(([n]) => n === name)?.[1] ?? 0;

describe("the time model", () => {
  it("two threads on two nodes sharing one buffer end in a distribution that does not depend on which is listed first", async () => {
    const forever: Phase[] = [{ access: { region: "buf" } }];
    const listed = {
      "0,1": await twoNodeProcess("pair", "16M", 3, [forever, forever], [0, 1]),
      "1,0": await twoNodeProcess("pair", "16M", 3, [forever, forever], [1, 0]),
    };
    /** Share of the buffer on node 0 at the end. */
    const share0 = (order: readonly [0, 1] | readonly [1, 0], seed: number) => {
      const spec = listed[order[0] === 0 ? "0,1" : "1,0"];
      const mib = runWorkload({ spec, step: 49, seed, topology: "nodes=2,cpus=2,mem=256M" }).report.processes[0].nodeMiB;
      return mib[0] / (mib[0] + mib[1]);
    };
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (first) => {
        const seeds = Array.from({ length: 6 }, (_, i) => first + i);
        const listed0First = seeds.map((s) => share0([0, 1], s));
        const listed1First = seeds.map((s) => share0([1, 0], s));
        // Seeds matter: the machine's noise decides who touches first and what migrates.
        expect(new Set(listed0First).size).toBeGreaterThan(1);
        expect(new Set(listed1First).size).toBeGreaterThan(1);
        // Neither node is favoured, whichever thread comes first in the file.
        for (const shares of [listed0First, listed1First]) {
          expect(mean(shares)).toBeGreaterThan(0.25);
          expect(mean(shares)).toBeLessThan(0.75);
        }
        expect(Math.abs(mean(listed0First) - mean(listed1First))).toBeLessThan(0.25);
      }),
      { seed: 2012, numRuns: 2 },
    );
  });

  it("two threads taking strict turns over a shared buffer keep migrating it for the whole run", async () => {
    const spec = await twoNodeProcess("turns", "16M", 12, turns(10, 400), [0, 1]);
    const perSecond: number[] = [];
    let last = 0;
    runWorkload({
      spec,
      step: 49,
      thp: "never",
      topology: "nodes=2,cpus=2,mem=256M",
      onTick: (k) => {
        if (k.time % 1e9 !== 0) return;
        const migrated = counter(k, "numa_pages_migrated");
        perSecond.push(migrated - last);
        last = migrated;
      },
    });
    expect(perSecond).toHaveLength(12);
    // After the scan delay, pages move in every second to the end.
    for (const n of perSecond.slice(3)) expect(n).toBeGreaterThan(0);
  });

  it("threads whose bursts are shorter than a tick are still the current task at some ticks, so their address space is scanned", async () => {
    // Each turn sweeps 2 MiB once, about 0.3 ms, then hands over through a barrier.
    const spec = await twoNodeProcess("bursts", "2M", 4, turns(1, 20_000), [0, 1]);
    const { kernel, report } = runWorkload({ spec, step: 49, thp: "never", topology: "nodes=2,cpus=2,mem=256M" });
    const threads = [...kernel.tasks.values()].filter((t) => t.comm.startsWith("node"));
    expect(threads).toHaveLength(2);
    for (const t of threads) expect(t.nodeStamp).toBeGreaterThan(0); // task_tick_numa saw it
    expect(report.vmstatDelta.numa_pte_updates).toBeGreaterThan(0);
  });
});
