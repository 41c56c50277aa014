import { describe, expect, it } from "vitest";
import { metricValue } from "./metrics.js";
import { runWorkload } from "./run.js";

const SMALL = "nodes=2,cpus=2,mem=128M";

describe("a run stopped by its time cap reports the work done", () => {
  it("bytes touched per thread and throughput; capped only when work was left", () => {
    const capped = runWorkload({ workload: "remote-memory", topology: SMALL, seconds: 1 }).report;
    expect(capped.work.capped).toBe(true);
    expect(capped.work.threads).toBe(1);
    expect(capped.work.bytes).toBe(capped.processes[0].localBytes + capped.processes[0].remoteBytes);
    expect(capped.work.gbPerSecond).toBeCloseTo(capped.work.bytes / 1e9 / capped.elapsedSeconds, 3);
    expect(metricValue(capped, "throughput_gb_s")).toBe(capped.work.gbPerSecond);
    // Twice the cap, about twice the work: the figure that tells capped runs apart.
    const longer = runWorkload({ workload: "remote-memory", topology: SMALL, seconds: 2 }).report;
    expect(longer.work.bytes / capped.work.bytes).toBeGreaterThan(1.8);
    const done = runWorkload({ workload: "numa02", topology: SMALL, scale: 1 / 64, seconds: 60 }).report;
    expect(done.work.capped).toBe(false);
    expect(done.work.threads).toBeGreaterThan(1);
    expect(done.work.perThreadGB.min).toBeLessThanOrEqual(done.work.perThreadGB.mean);
  });

  it("autonumabench scores passes per thread over the window, whatever the cap", () => {
    const run = (seconds: number) => runWorkload({ workload: "numa02", topology: SMALL, scale: 1 / 8, seconds }).report.score!;
    const short = run(0.5);
    const long = run(1);
    expect(short.metrics["passes/thread"]).toBeGreaterThan(1);
    expect(long.metrics["passes/thread"] / short.metrics["passes/thread"]).toBeGreaterThan(1.5);
    // The rate is comparable across caps.
    expect(long.metrics["passes/sec"] / short.metrics["passes/sec"]).toBeGreaterThan(0.8);
    expect(long.metrics["passes/sec"] / short.metrics["passes/sec"]).toBeLessThan(1.25);
    expect(short.lines[0]).toMatch(/^ numa02: 4 threads, passes per thread .* of 800 in 0\.500 s: [\d.]+ passes\/s, stopped by the time cap before the end$/);
  });

  it("SPECjbb scores bops over the part of its window that ran, saying which", () => {
    const run = (args: string[]) => runWorkload({ workload: "specjbb", topology: SMALL, scale: 1 / 16, seconds: 0.5, args }).report.score!;
    const inRampUp = run([]);
    expect(inRampUp.metrics.bops).toBeGreaterThan(0);
    expect(inRampUp.metrics["measured secs"]).toBe(0);
    expect(inRampUp.lines).toContainEqual(expect.stringMatching(/stopped by the time cap during the ramp-up .*: bops over the ramp-up, not a measurement/));
    const measured = run(["--ramp-up", "0.2"]);
    expect(measured.metrics["measured secs"]).toBeCloseTo(0.3, 1);
    expect(measured.lines).toContainEqual(expect.stringMatching(/stopped by the time cap: bops over the 0\.3\d* s of the 240 s measurement that ran/));
  });

  it("perf bench numa prints its result lines over what ran when the cap stops a test", () => {
    const score = runWorkload({ workload: "perf-numa-mem", topology: SMALL, seconds: 0.5, args: ["-p", "2", "-t", "1", "-P", "16", "-s", "5"] }).report.score!;
    expect(score.lines[0]).toMatch(/^ # stopped by the time cap after 0\.\d+ s of its -s 5: the figures below are over what ran$/);
    expect(score.metrics["total-speed GB/sec"]).toBeGreaterThan(0);
  });
});

describe("progress", () => {
  it("follows a fixed-work workload's work, not only its time cap", () => {
    const seen: [number, number][] = [];
    const { report } = runWorkload({ workload: "numa02", topology: SMALL, scale: 1 / 64, seconds: 100, onProgress: (f, s) => seen.push([f, s]) });
    expect(report.work.capped).toBe(false);
    // Halfway through its work numa02 has used a sliver of its 100 s cap: the bar follows the work.
    const half = seen.find(([f]) => f >= 0.5)!;
    expect(half[1] / 100).toBeLessThan(0.1);
    expect(seen.every(([f], i) => i === 0 || f >= seen[i - 1][0])).toBe(true);
    expect(seen.at(-1)![0]).toBe(1);
  });
});

describe("memory of a process that exited", () => {
  it("is its last sample before the exit, labelled with its time", () => {
    const { report } = runWorkload({ workload: "numa01", topology: "nodes=2,cpus=2,mem=512M", scale: 1 / 64, seconds: 60, sampleEvery: 0.25 });
    for (const p of report.processes) {
      expect(p.exitedSeconds).toBeGreaterThan(0);
      expect(p.nodeMiB.every((m) => m === 0)).toBe(true);
      expect(p.beforeExit!.seconds).toBeLessThanOrEqual(p.exitedSeconds!);
      expect(p.beforeExit!.seconds).toBeGreaterThan(p.exitedSeconds! - 0.25 - 1e-9);
      // Its buffer: 3 GiB at scale 1/64 = 48 MiB (and a little of the stack and tables).
      expect(p.beforeExit!.nodeMiB.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(48);
    }
  });
});

describe("a report describes itself", () => {
  it("records the resolved machine, the kernel's settings, the cap and the sample interval", () => {
    const { report } = runWorkload({
      workload: "remote-memory",
      topology: "nodes=3",
      seconds: 0.1,
      sampleEvery: 0.05,
      thp: "never",
      sysctl: { "vm.min_free_kbytes": 65536 },
      step: 49,
    });
    const c = report.config;
    expect(c.topology.nodes.map((n) => [n.cpus.length, n.memMiB])).toEqual([
      [4, 2048],
      [4, 2048],
      [4, 2048],
    ]);
    expect(c.topology.distance).toEqual([
      [10, 20, 20],
      [20, 10, 20],
      [20, 20, 10],
    ]);
    expect(c).toMatchObject({ thp: "never", seconds: 0.1, sampleEvery: 0.05, cmdline: "" });
    expect(c.sysctl["vm.min_free_kbytes"]).toBe(65536);
    expect(c.sysctl["kernel.numa_balancing_scan_delay_ms"]).toEqual(expect.any(Number));
    expect(c.schedFeatures).toContain("NUMA");
    expect(report.samples.length).toBeGreaterThanOrEqual(3);
  });
});
