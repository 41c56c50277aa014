import { describe, expect, it } from "vitest";
import type { RunReport } from "@balancenuma/workloads";
import { convergencePlot, memoryPlot, metricPlot } from "./run-plots.js";

/** Just enough of a run report for its metrics; `migrated` undefined = the kernel lacks the counter. */
const run = (step: number, seed: number, elapsedSeconds: number, extra: { migrated?: number; touches?: number; workload?: string } = {}) =>
  ({
    workload: extra.workload ?? "numa01",
    machine: "default",
    step,
    seed,
    elapsedSeconds,
    userSeconds: 0,
    systemSeconds: 0,
    cpuPercent: 0,
    processes: [{ pid: 1, localTouches: extra.touches ?? 1, remoteTouches: 0, remoteBytes: 0, localPercent: 100, userSeconds: 0, systemSeconds: 0 }],
    convergence: [],
    vmstat: extra.migrated === undefined ? {} : { numa_pages_migrated: extra.migrated },
    vmstatDelta: extra.migrated ? { numa_pages_migrated: extra.migrated } : {},
    mmtests: { numaHintLocalPercent: null, numaPteUpdates: 0, autoNumaCost: 0, numaHintFaults: 0, numaPagesMigrated: extra.migrated ?? 0 },
    score: null,
  }) as unknown as RunReport;

const attr = (svg: string, cls: string, name: string) => [...svg.matchAll(new RegExp(`class="${cls}"[^>]* ${name}="([\\d.]+)"`, "g"))].map((m) => Number(m[1]));
const tickX = (svg: string) => attr(svg, "x-tick", "x1");
const markerX = (svg: string) => attr(svg, "marker", "cx");
const polylines = (svg: string) => [...svg.matchAll(/class="line" points="([^"]+)"/g)].map((m) => m[1].split(" ").map((p) => Number(p.split(",")[0])));

describe("metric-by-step plots", () => {
  it("draw a marker at each step that was run, ticks there, and no line across steps that were not", () => {
    const svg = metricPlot([run(0, 1, 10), run(1, 1, 11), run(2, 1, 12), run(10, 1, 8)], "elapsed", "default");
    const ticks = tickX(svg);
    expect(ticks).toHaveLength(4);
    // One marker per measured step (plus the legend's), at the ticks.
    expect(markerX(svg).slice(0, 4)).toEqual(ticks);
    // Steps 0-1-2 are joined; 10 stands alone.
    expect(polylines(svg)).toEqual([ticks.slice(0, 3)]);
  });

  it("label the axes with units and start the y axis at zero unless asked otherwise", () => {
    const reports = [run(0, 1, 60), run(1, 1, 62)];
    const svg = metricPlot(reports, "elapsed", "default");
    expect(svg).toMatch(/class="y-label"[^>]*>elapsed \(s\)</);
    expect(svg).toMatch(/class="x-label"[^>]*>step of the series/);
    const yTicks = (s: string) => [...s.matchAll(/text-anchor="end">([\d.]+)</g)].map((m) => Number(m[1]));
    expect(Math.min(...yTicks(svg))).toBe(0);
    expect(Math.min(...yTicks(metricPlot(reports, "elapsed", "default", { yFromZero: false })))).toBeGreaterThan(50);
    expect(metricPlot(reports, "local_percent", "default")).toMatch(/>local_percent \(%\)</);
    expect(metricPlot(reports, "numa_pages_migrated", "default")).toMatch(/>numa_pages_migrated \(count over the run\)</);
  });

  it("draw the spread across seeds as a band and error bars spanning min to max", () => {
    const svg = metricPlot([run(0, 1, 10), run(0, 2, 12), run(1, 1, 6), run(1, 2, 9)], "elapsed", "default");
    expect(svg.match(/<polygon class="spread"/g)).toHaveLength(1);
    expect(svg.match(/<path class="error-bar"/g)).toHaveLength(2);
    // At step 1 the bar spans 6 to 9 and the mean, 7.5, lies between its ends.
    const bars = [...svg.matchAll(/class="error-bar" d="M[\d.]+,([\d.]+)V([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const means = attr(svg, "marker", "cy");
    expect(means[1]).toBeLessThan(bars[1][0]);
    expect(means[1]).toBeGreaterThan(bars[1][1]);
    expect(svg).toMatch(/mean over 2 seeds; band and bars: min-max/);
    expect(metricPlot([run(0, 1, 10), run(1, 1, 6)], "elapsed", "default")).not.toMatch(/spread|error-bar/);
  });

  it("leave a gap at an n/a value and shade the steps whose kernel lacks the counter, apart from a counted 0", () => {
    // Step 1 touched no memory: local_percent is n/a there.
    const na = metricPlot([run(0, 1, 1), run(1, 1, 1, { touches: 0 }), run(2, 1, 1)], "local_percent", "default");
    expect(markerX(na).slice(0, 2)).toEqual([tickX(na)[0], tickX(na)[2]]);
    expect(polylines(na)).toEqual([]);
    expect(na).toMatch(/no point at step 1: n\/a/);
    // Steps 0 and 1 have no such counter; step 2 counts 0 and step 3 some.
    const absent = metricPlot([run(0, 1, 1), run(1, 1, 1), run(2, 1, 1, { migrated: 0 }), run(3, 1, 1, { migrated: 500 })], "numa_pages_migrated", "default");
    expect(absent.match(/<rect class="absent"/g)).toHaveLength(2);
    expect(absent).toMatch(/kernel lacks the counter/);
    expect(markerX(absent).slice(0, 2)).toEqual(tickX(absent).slice(2));
  });
});

describe("memory-over-time plots", () => {
  const report = {
    workload: "numa01",
    machine: "default",
    step: 49,
    seed: 1,
    nodeFreeMiB: [0, 0],
    processes: [
      { pid: 1, comm: "numa01" },
      { pid: 2, comm: "numa01" },
    ],
    samples: [0, 0.5, 1, 1.5].map((seconds) => ({ seconds, processes: { 1: [seconds * 10, 5], 2: seconds < 1.5 ? [seconds * 10, 5] : [] } })),
    convergence: [0, 0.5, 1, 1.5].map((seconds) => ({ seconds, value: seconds < 1 ? null : 0.9 })),
    config: { sampleEvery: 0.5 },
  } as unknown as RunReport;

  it("name each line by process and node, tell nodes apart by dashes and overlapping processes by width, and say the interval", () => {
    const svg = memoryPlot(report);
    expect([...svg.matchAll(/class="legend"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual([
      "numa01 pid 1, node 0",
      "numa01 pid 1, node 1",
      "numa01 pid 2, node 0",
      "numa01 pid 2, node 1",
    ]);
    const lines = [...svg.matchAll(/class="line" points="[^"]+" fill="none" stroke="([^"]+)" stroke-width="([\d.]+)"( stroke-dasharray="[^"]+")?/g)];
    expect(lines).toHaveLength(4);
    // Same colour per process, a dash pattern for node 1 only; the first process's lines are wider (the two coincide).
    expect(lines[0][1]).toBe(lines[1][1]);
    expect(lines[0][1]).not.toBe(lines[2][1]);
    expect([lines[0][3], lines[1][3] !== undefined]).toEqual([undefined, true]);
    expect(Number(lines[0][2])).toBeGreaterThan(Number(lines[2][2]));
    // pid 2 exited before the last sample: its line has three points.
    expect(svg).toMatch(/sampled every 0\.5 s/);
    expect(svg).toMatch(/class="x-label"[^>]*>simulated time \(s\)</);
    expect(svg).toMatch(/class="y-label"[^>]*>resident memory \(MiB\)</);
  });

  it("convergence leaves no line where it is n/a", () => {
    const svg = convergencePlot(report);
    expect(polylines(svg)).toHaveLength(1);
    expect(polylines(svg)[0]).toHaveLength(2);
    expect(svg).toMatch(/no line before the first hinting faults/);
  });
});
