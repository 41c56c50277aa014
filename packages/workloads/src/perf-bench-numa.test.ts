import { describe, expect, it } from "vitest";
import { PERF_SUITE, defaultPerfParams, parseBindList, parsePerfArgs } from "./perf-bench-numa.js";
import { runWorkload } from "./run.js";

const words = (s: string) => s.split(" ");

describe("perf bench numa mem options", () => {
  it("has perf's defaults", () => {
    expect(defaultPerfParams()).toMatchObject({
      nrProc: 1,
      nrThreads: 1,
      mbGlobal: 1,
      nrSecs: 5,
      nrLoops: -1,
      dataRandWalk: true,
      dataBackwards: true,
      initRandom: true,
      serializeStartup: true,
    });
  });

  it("parses bundled switches, values glued or apart, long options and --no-", () => {
    const p = parsePerfArgs(words("-p 2 -t4 -P 512.5 -zZ0qcm --thp 1 --no-data_rand_walk -s 100 -l 7 -G 0"));
    expect(p).toMatchObject({
      nrProc: 2,
      nrThreads: 4,
      mbProc: 512.5,
      initZero: true,
      dataZeroMemset: true,
      initCpu0: true,
      showQuiet: true,
      showConvergence: true,
      measureConvergence: true,
      thp: 1,
      dataRandWalk: false,
      nrSecs: 100,
      nrLoops: 7,
      mbGlobal: 0,
    });
    expect(parsePerfArgs(["--thp=-1", "-P", "1"]).thp).toBe(-1);
  });

  it("expands -C and -M lists", () => {
    expect(parseBindList("0,2", "-C")).toEqual([[0], [2]]);
    expect(parseBindList("8_4-16#4", "-C")).toEqual([
      [8, 9, 10, 11],
      [12, 13, 14, 15],
      [16, 17, 18, 19],
    ]);
    expect(parseBindList("0x2", "-M")).toEqual([[0], [0]]);
    expect(parsePerfArgs(words("-P 1 -M 1,0")).nodes).toEqual([1, 0]);
  });

  it.each([
    ["-p 0 -P 1", /-p \(nr_proc\) expects at least 1/],
    ["-P lots", /option '-P' \(mb_proc\) expects a size in MB/],
    ["-Q", /unknown switch '-Q'/],
    ["--frob", /unknown option '--frob'/],
    ["-C 3-1 -P 1", /-C: '3-1' is an empty range/],
    ["-G 0", /no memory to work on/],
  ])("'%s' is a workload error naming the option", (a, msg) => {
    expect(() => parsePerfArgs(words(a))).toThrow(msg);
  });

  it("keeps the suite's exact table", () => {
    expect(PERF_SUITE).toHaveLength(45);
    const get = (n: string) => parsePerfArgs(words(PERF_SUITE.find(([name]) => name === n)![1]));
    expect(get("2x3-convergence")).toMatchObject({ nrProc: 3, nrThreads: 3, mbProc: 1020, nrSecs: 100, measureConvergence: true, initCpu0: true });
    expect(get("RAM-bw-cross")).toMatchObject({ cpus: [[0], [8]], nodes: [1, 0], dataRandWalk: false, nrSecs: 20 });
    expect(get("numa01-bw-thread-NOTHP")).toMatchObject({ nrProc: 2, nrThreads: 16, mbThread: 192, thp: -1 });
  });
});

describe("perf bench numa mem runs", () => {
  const topo = "nodes=2,cpus=4,mem=256M";

  it("-G is one MAP_SHARED region the launcher initialises and every process maps through fork", () => {
    const { kernel } = runWorkload({ workload: "perf-numa-mem", topology: topo, seconds: 0.5, args: words("-p 3 -t 1 -G 4 -P 1 -s 1 -zq") });
    const workers = [...kernel.tasks.values()].filter((t) => t.comm === "perf" && t.mm !== null && t.mm.vmas.some((v) => v.shm));
    expect(workers.length).toBeGreaterThanOrEqual(3);
    const objects = new Set(workers.flatMap((t) => t.mm!.vmas.filter((v) => v.shm).map((v) => v.shm)));
    expect(objects.size).toBe(1);
    // 4 MB of shared pages allocated once, not once per process.
    expect(kernel.memory.stats.shmemPagesAllocated).toBe(1024);
  });

  it("prints perf's -q result lines with GB/s", () => {
    const { report } = runWorkload({ workload: "perf-numa-mem", topology: topo, seconds: 5, args: words("-p 1 -t 2 -P 16 -s 1 -zZq --no-data_rand_walk") });
    const lines = report.score!.lines;
    expect(lines.some((l) => /^ {32}\s*\d+\.\d{3}, GB\/sec, {8}\s*total-speed$/.test(l))).toBe(true);
    expect(report.score!.metrics["total-speed GB/sec"]).toBeGreaterThan(5);
    expect(report.score!.metrics["runtime-max/thread secs"]).toBeGreaterThanOrEqual(1);
    expect(report.elapsedSeconds).toBeLessThan(1.2);
  });

  it("-m stops once every process sits on one node and reports the latency", () => {
    // Two single-thread processes pinned to different nodes are converged from the start.
    const { report } = runWorkload({ workload: "perf-numa-mem", topology: topo, seconds: 10, args: words("-p 2 -t 1 -P 8 -C 0,4 -s 5 -zZqcm") });
    const s = report.score!;
    expect(s.lines.some((l) => /converged\)$/.test(l))).toBe(true);
    expect(s.metrics["NUMA-convergence-latency secs"]).toBeLessThan(2.5);
    expect(report.elapsedSeconds).toBeLessThan(3);
  });

  it("status lines show tasks per node and the loop spread", () => {
    const { report } = runWorkload({ workload: "perf-numa-mem", topology: topo, seconds: 5, args: words("-p 1 -t 2 -P 8 -s 2 -c -q") });
    expect(
      report.score!.lines.filter((l) => /^ #\s+0\.0%\s+\[0\.0 mins\]( +\d+\/\d+ *){2} \[ *\d+\/\d+ *\] l: *\d+- *\d+ *\( *\d+\)/.test(l)).length,
    ).toBeGreaterThanOrEqual(1);
  });

  it("the suite skips what the machine cannot place; a test asked for by name must fit", () => {
    const { report } = runWorkload({ workload: "perf-numa-mem", topology: topo, seconds: 0.05, scale: 1 / 256, args: ["-a"] });
    expect(report.score!.lines).toContain(" # RAM-bw-cross: skipped: -C: CPU 8 does not exist (this machine has 8)");
    expect(() => runWorkload({ workload: "perf-numa-mem", topology: "nodes=2,cpus=2,mem=64M", seconds: 1, args: words("--test RAM-bw-cross") })).toThrow(
      /RAM-bw-cross: -C: CPU 8 does not exist/,
    );
  });
});
