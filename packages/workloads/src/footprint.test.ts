import { describe, expect, it } from "vitest";
import { bootAtStep } from "@balancenuma/series";
import { BUILTIN_WORKLOADS } from "./builtins.js";
import { WorkloadError } from "@balancenuma/userspace";
import { machineRoom, mappingBytes } from "./footprint.js";
import { runWorkload } from "./run.js";

const MiB = 1024 * 1024;

describe("what a workload needs against what the machine has", () => {
  it("the machine has its free memory above each node's min watermark, less with a bigger vm.min_free_kbytes", () => {
    const k = bootAtStep({ topology: "nodes=2,cpus=2,mem=256M" });
    const wm = k.pageAlloc.watermarks(k);
    expect(machineRoom(k)).toBe((k.pageAlloc.nodeFreePages(0) + k.pageAlloc.nodeFreePages(1) - wm[0].min - wm[1].min) * 4096);
    expect(machineRoom(k, [1])).toBe((k.pageAlloc.nodeFreePages(1) - wm[1].min) * 4096);
    const reserved = bootAtStep({ topology: "nodes=2,cpus=2,mem=256M", sysctl: { "vm.min_free_kbytes": 262144 } });
    // 512 MiB of RAM less pfn 0 (no zone holds it), the zero page and the 256 MiB reserve.
    expect(machineRoom(reserved)).toBe(256 * MiB - 2 * 4096);
  });

  it("a mapping needs its pages and a page table per 2 MiB", () => {
    expect(mappingBytes(1)).toBe(8192);
    expect(mappingBytes(2 * MiB)).toBe(2 * MiB + 4096);
  });

  // Every built-in's memory grows with --scale: at 64 none fits the default machine, and each says
  // so before anything runs, with what it needs and what the machine has.
  it.each(BUILTIN_WORKLOADS.map((w) => w.name))("%s at --scale 64 on the default machine is refused before it runs", (name) => {
    let error: unknown;
    try {
      runWorkload({ workload: name, scale: 64, seconds: 0.01 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkloadError);
    expect((error as Error).message).toMatch(/needs [\d.]+ [GTP]iB (of memory|on one node)|first-touches [\d.]+ GiB on one node/);
  });

  it("refuses a workload when vm.min_free_kbytes keeps the memory it needs, and says to lower it", () => {
    expect(() => runWorkload({ workload: "private-halves", sysctl: { "vm.min_free_kbytes": 4194304 }, seconds: 0.01 })).toThrow(
      /^private-halves at scale 1 needs 513 MiB of memory, but machine 'default' has 0 B free \(4 GiB less 4 GiB kept free by the kernel's min watermarks\); use a smaller --sysctl vm\.min_free_kbytes, /,
    );
  });

  it("memory bound to a node must fit that node: remote-memory's buffer is bound to node 0", () => {
    // 4.5 x 512 MiB fit the machine's 4 GiB but not node 0's 2 GiB.
    expect(() => runWorkload({ workload: "remote-memory", scale: 4.5, seconds: 0.01 })).toThrow(
      /^remote-memory at scale 4\.5 needs 2\.25 GiB of memory bound to node 0, but node 0 of machine 'default' has 2 GiB free .*; use a smaller --scale \(2 or less\), /,
    );
  });

  it("perf bench numa says what does not fit in its own terms, and the suite skips such tests", () => {
    expect(() => runWorkload({ workload: "perf-numa-mem", args: ["-P", "1e12"], seconds: 0.01 })).toThrow(
      /^perf bench numa: -p 1 -t 1 -G 1 -P 1000000000000 \(MB\) needs [\d.]+ PiB of memory, but machine 'default' has [\d.]+ GiB free .*; use smaller -G, -P or -T, or fewer -p or -t \(\d+ MB fit\)/,
    );
    // 4x8-convergence initialises 4 x 512 MB on node 0 (-0): more than node 0 of 'default' has.
    expect(() => runWorkload({ workload: "perf-numa-mem", args: ["--test", "4x8-convergence"], seconds: 0.01 })).toThrow(
      /4x8-convergence: .* bound to node 0, .* \(\d+ MB fit, or no -0\)/,
    );
    const suite = runWorkload({ workload: "perf-numa-mem", args: ["-a"], seconds: 0.01 }).report;
    expect(suite.score!.lines).toContainEqual(expect.stringMatching(/^ # 4x8-convergence: skipped: .* bound to node 0/));
  });

  it("refuses option values that would exhaust the host, naming the limit", () => {
    expect(() => runWorkload({ workload: "perf-numa-mem", args: ["-p", "100000"], seconds: 0.01 })).toThrow(
      /^perf bench numa: -p 100000 -t 1 makes 100001 processes, more than the 1024 the simulator holds/,
    );
    expect(() => runWorkload({ workload: "perf-numa-mem", args: ["-C", "0-100000000"], seconds: 0.01 })).toThrow(
      /-C: '0-100000000' reaches beyond CPU or node 4095/,
    );
    expect(() => runWorkload({ workload: "specjbb", args: ["--jvms", "1024", "--warehouses", "4096"], seconds: 0.01 })).toThrow(
      /^specjbb: --jvms 1024 --warehouses 4096 makes 4195328 tasks/,
    );
    expect(() => runWorkload({ workload: "kbuild", args: ["--jobs", "4096"], seconds: 0.01 })).toThrow(/^kbuild: --jobs 4096 makes 8193 processes/);
    expect(() => runWorkload({ workload: "pft", args: ["--clients", "2000", "--processes", "1"], seconds: 0.01 })).toThrow(
      /^pft: --clients 2000 --processes 1 makes 2001 processes/,
    );
  });
});
