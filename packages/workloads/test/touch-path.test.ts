import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runWorkload, type RunOptions } from "../src/run.js";
import { BUILTIN_WORKLOADS } from "../src/builtins.js";
import { parseWorkloadFile } from "../src/spec-problems.js";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_LATENCY, TOUCH_STREAM } from "@balancenuma/include-linux";
import { bootAtStep } from "@balancenuma/series";

/**
 * The bulk touch path (runs of touches that change nothing, charged in one go) gives exactly what
 * the per-page path gives: every built-in at the steps where the access path's surroundings change
 * (0 baseline, 24 change_prot_numa, 40 two-stage filter, 45 THP migration, 49 the whole series),
 * with THP always and never, and the example workload files; the JSON reports byte for byte, and
 * the raw times and touch counts behind their rounded figures too.
 */
const ARGS: Record<string, string[]> = {
  "perf-numa-mem": ["-p", "2", "-t", "2", "-P", "8", "-s", "1", "-zZ0qcm"],
  specjbb: ["--ramp-up", "0.1", "--measure", "1"],
  stream: ["-s", "0.1", "-P", "4"],
  kbuild: ["--files", "8", "--cc-ms", "20", "--heap-mb", "8"],
};
/** stream's placements need three CPUs on node 0. */
const TOPOLOGIES: Record<string, string> = { stream: "nodes=2,cpus=3,mem=128M" };
const STEPS = [0, 24, 40, 45, 49];
const TOPOLOGY = "nodes=2,cpus=2,mem=128M";

/** The report as `run --json` prints it, then every task's and CPU's unrounded times and counts. */
function runBoth(opts: RunOptions): [string, string] {
  const out = (["per-page", "bulk"] as const).map((touchPath) => {
    const { report, kernel } = runWorkload({ ...opts, touchPath });
    const raw = [...kernel.tasks.values()].map((t) => [t.pid, t.utimeNs, t.stimeNs, t.localTouches, t.remoteTouches, t.localBytes, t.remoteBytes]);
    return `${JSON.stringify(report, null, 2)}\n${JSON.stringify({ raw, clocks: kernel.cpus.map((c) => c.clock) })}`;
  });
  return [out[0], out[1]];
}

function options(step: number, thp: "always" | "never"): RunOptions {
  return {
    step,
    thp,
    topology: TOPOLOGY,
    seconds: 0.4,
    // Shorten slow start so the scanner, hinting faults and migrations happen inside the brief run.
    sysctl: step >= 29 ? { "kernel.numa_balancing_scan_delay_ms": 50 } : {},
  };
}

describe("bulk and per-page touch paths give byte-identical reports", () => {
  it.each(BUILTIN_WORKLOADS.map((w) => w.name))("%s at steps 0, 24, 40, 45, 49, THP always and never", (workload) => {
    for (const step of STEPS)
      for (const thp of ["always", "never"] as const) {
        const [perPage, bulk] = runBoth({ ...options(step, thp), workload, args: ARGS[workload] ?? [], topology: TOPOLOGIES[workload] ?? TOPOLOGY });
        expect(bulk, `${workload} step ${step} THP ${thp}`).toBe(perPage);
      }
  });

  const dir = new URL("../../../docs/workloads/", import.meta.url);
  it.each(readdirSync(dir))("workload file %s at step 49", async (file) => {
    const spec = await parseWorkloadFile(readFileSync(new URL(file, dir), "utf8"), file);
    for (const thp of ["always", "never"] as const) {
      const [perPage, bulk] = runBoth({ ...options(49, thp), spec, scale: 1 / 16 });
      expect(bulk, `${file} THP ${thp}`).toBe(perPage);
    }
  });

  it("the bulk path charges most touches of a sweep, the per-page path none", () => {
    // So the comparisons above are not vacuous.
    const bulkShare = (touchPath: "bulk" | "per-page") => {
      const { report, kernel } = runWorkload({ ...options(49, "never"), workload: "remote-memory", touchPath });
      const p = report.processes[0];
      return kernel.memory.stats.bulkTouches / (p.localTouches + p.remoteTouches);
    };
    expect(bulkShare("bulk")).toBeGreaterThan(0.9);
    expect(bulkShare("per-page")).toBe(0);
  });
});

describe("bulk and per-page paths agree on strides finer than a page", () => {
  /**
   * An 8 MiB mapping: its 2 MiB quarters written from node 0, from node 1, not faulted, from node 0
   * (huge pages or 4 KiB ones), then strided touches from both nodes with budgets, across every
   * boundary.
   */
  function touches(touchPath: "bulk" | "per-page", thp: "always" | "never", stride: number, write: boolean): string {
    const k = bootAtStep({ topology: "nodes=2,cpus=2,mem=64M", thp, step: 49, touchPath });
    const t = k.createProcess({ cpusAllowed: 5n });
    k.userApi(t);
    const size = 8 * 1024 * 1024;
    const quarter = size / 4;
    const a = k.memory.mmap(k, t.mm!, 0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    for (const [cpu, q] of [
      [0, 0],
      [2, 1],
      [0, 3],
    ]) {
      k.currentCpu = cpu;
      k.memory.userTouch(k, t, a + q * quarter, quarter / PAGE_SIZE, PAGE_SIZE, 64, true, TOUCH_STREAM, Infinity);
    }
    const log: number[] = [];
    const n = Math.floor(size / Math.abs(stride));
    const from = stride > 0 ? a : a + size - 1 - ((size - 1) % Math.abs(stride));
    for (const [cpu, budget] of [
      [0, Infinity],
      [2, 30_000],
      [0, 7_777],
      [2, Infinity],
    ]) {
      k.currentCpu = cpu;
      for (let done = 0; done < n; ) {
        const r = k.memory.userTouch(k, t, from + done * stride, n - done, stride, 8, write, TOUCH_LATENCY, budget);
        log.push(r);
        if (r <= 0) break;
        done += r;
      }
    }
    // Not vacuous: the bulk path takes most of these touches in bulk.
    if (touchPath === "bulk") expect(k.memory.stats.bulkTouches).toBeGreaterThan((3 * n) / 2);
    return JSON.stringify({ log, clocks: k.cpus.map((c) => c.clock), t: [t.utimeNs, t.stimeNs, t.localTouches, t.remoteTouches], busy: [...k.bus.busyNs] });
  }

  it.each([64, 1000, -64, -1000])("stride %i", (stride) => {
    for (const thp of ["always", "never"] as const)
      for (const write of [true, false]) expect(touches("bulk", thp, stride, write), `THP ${thp} write ${write}`).toBe(touches("per-page", thp, stride, write));
  });
});
