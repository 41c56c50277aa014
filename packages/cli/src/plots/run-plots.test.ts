import { describe, expect, it } from "vitest";
import type { RunReport } from "@balancenuma/workloads";
import { metricPlot } from "./run-plots.js";

/** Just enough of a run report for its metrics. */
const run = (step: number, seed: number, elapsedSeconds: number) =>
  ({
    workload: "numa01",
    machine: "default",
    step,
    seed,
    elapsedSeconds,
    userSeconds: 0,
    systemSeconds: 0,
    cpuPercent: 0,
    processes: [],
    convergence: [],
    vmstatDelta: {},
    mmtests: { numaHintLocalPercent: 0, numaPteUpdates: 0, autoNumaCost: 0, numaHintFaults: 0, numaPagesMigrated: 0 },
    score: null,
  }) as unknown as RunReport;

describe("metricPlot", () => {
  it("draws the mean over seeds with the min-max spread around it", () => {
    const svg = metricPlot([run(0, 1, 10), run(0, 2, 12), run(49, 1, 6), run(49, 2, 9)], "elapsed", "default");
    expect(svg.match(/<polygon class="spread"/g)).toHaveLength(1);
    expect(svg.match(/<path class="error-bar"/g)).toHaveLength(2);
    // The error bars span min to max: at step 49 from 6 to 9, the mean 7.5 between them.
    const bars = [...svg.matchAll(/class="error-bar" d="M([\d.]+),([\d.]+)V([\d.]+)/g)].map((m) => [Number(m[2]), Number(m[3])]);
    const mean = /<circle cx="[\d.]+" cy="([\d.]+)"[^>]*>\n<circle cx="[\d.]+" cy="([\d.]+)"/.exec(svg)!;
    expect(Number(mean[2])).toBeLessThan(bars[1][0]);
    expect(Number(mean[2])).toBeGreaterThan(bars[1][1]);
  });

  it("draws no spread for one seed", () => {
    const svg = metricPlot([run(0, 1, 10), run(49, 1, 6)], "elapsed", "default");
    expect(svg).not.toMatch(/spread|error-bar/);
  });
});
