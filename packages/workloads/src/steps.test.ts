import { describe, expect, it } from "vitest";
import { type KernelInstance } from "@balancenuma/kernel";
import { bootAtStep } from "@balancenuma/series";
import { SERIES } from "@balancenuma/series";
import { BUILTIN_WORKLOADS } from "./builtins.js";

/**
 * Every built-in at every step 0..49 on every machine preset, briefly, with the invariants checked.
 * One boot per (machine, step) runs all the built-ins side by side at a tiny scale for a few ticks
 * (booting a preset takes up to ~6 s for 8n64c's 320 GiB, so a boot per workload is out of budget).
 * Every step runs on each preset's shape (its nodes, CPUs, SMT and unequal node sizes) with less
 * memory per node; the full-size presets are booted once, at the last step.
 */
const ARGS: Record<string, string[]> = {
  "perf-numa-mem": ["-p", "2", "-t", "2", "-P", "8", "-s", "1", "-zZ0qcm"],
  specjbb: ["--ramp-up", "0.004", "--measure", "1"],
  stream: ["-s", "0.05", "-P", "4"],
  kbuild: ["--files", "8", "--cc-ms", "2"],
};

function runAll(k: KernelInstance, ticks: number): void {
  for (const w of BUILTIN_WORKLOADS) w.start(k, { args: ARGS[w.name] ?? [], scale: 1 / 256, seed: 1, seconds: 1 });
  for (let i = 0; i < ticks; i++) k.runTick();
  k.checkInvariants();
  let touched = 0;
  for (const t of k.tasks.values()) touched += t.localTouches + t.remoteTouches;
  expect(touched).toBeGreaterThan(0);
}

const SHAPES: [string, string][] = [
  ["default", "nodes=2,cpus=4,mem=160M"],
  ["vega", "nodes=4,cpus=8,mem=128M"],
  ["4n48c", "nodes=4,cpus=12,smt=2,mem=128M"],
  ["8n64c", "nodes=8,cpus=8,mem=64M*6+128M*2"],
];

describe("every built-in runs at every step on every preset without breaking an invariant", () => {
  it.each(SHAPES)("%s's shape (%s), steps 0..49", (_preset, topology) => {
    for (let step = 0; step <= SERIES.length; step++) {
      const k = bootAtStep({ topology, step, seed: step + 1 });
      runAll(k, 1);
    }
  });

  it.each(["default", "vega", "4n48c", "8n64c"])("full-size %s at the last step", (topology) => {
    runAll(bootAtStep({ topology, step: SERIES.length }), 1);
  });
});
