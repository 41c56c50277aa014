import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "bn-wf-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("balancenuma run --workload-file with mistakes", () => {
  it("lists every problem on its own line with the file, line, column and field path; exit 2, nothing run", async () => {
    const f = file(
      "w.yaml",
      [
        "name: w",
        "processes:",
        "  - name: p",
        "    regions: [{name: buf, size: 4M}, {name: buf, size: 1e15}]",
        "    threads:",
        "      - phases:",
        "          - access: {region: buf, pattern: hotset, touchesPerLop: 5}",
      ].join("\n"),
    );
    const r = await cli(["run", "--workload-file", f]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err.split("\n").filter(Boolean)).toEqual([
      `balancenuma: ${f}:4:56: processes[0].regions[1].size: expected a size like 4096, 512M or 1.5G, above 0 and at most 1T, got 1000000000000000`,
      `balancenuma: ${f}:7:44: processes[0].threads[0].phases[0].access.pattern: expected one of sequential, random, hot-set, chunked-walk, got 'hotset' (did you mean 'hot-set'?)`,
      `balancenuma: ${f}:7:52: processes[0].threads[0].phases[0].access: unknown field 'touchesPerLop' (did you mean 'touchesPerLoop'?)`,
    ]);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("a JSON syntax error gives the file, line and column", async () => {
    const f = file("w.json", '{\n  "name": "w",\n  "processes": [,]\n}\n');
    const r = await cli(["run", "--workload-file", f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^balancenuma: ${f.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:3:\\d+: not valid YAML or JSON: `));
  });

  it("refuses duplicate region names before running", async () => {
    const f = file(
      "dup.yaml",
      "name: w\nprocesses:\n  - name: p\n    regions: [{name: buf, size: 4M}]\n    threads:\n      - regions: [{name: buf, size: 4M}]\n",
    );
    const r = await cli(["run", "--workload-file", f]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `balancenuma: ${f}:6:26: processes[0].threads[0].regions[0].name: region name 'buf' is already used by processes[0].regions[0]; give each region its own name\n`,
    );
  });

  it("refuses a file bigger than the machine, with the sizes, naming the file", async () => {
    const f = file("big.yaml", "name: w\nprocesses:\n  - name: p\n    regions: [{name: buf, size: 8G}]\n    main: [{access: {region: buf, loops: 1}}]\n");
    const r = await cli(["run", "--workload-file", f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      new RegExp(
        `^balancenuma: .*big\\.yaml at scale 1 needs 8\\.02 GiB of memory, but machine 'default' has 3\\.99 GiB free .*; use a smaller --scale \\(1/4 or less\\), or smaller region sizes in the file, or a bigger --topology \\(e\\.g\\. nodes=2,cpus=4,mem=5G\\)\\n$`,
      ),
    );
    expect((await cli(["run", "--workload-file", f, "--scale", "1/4", "--seconds", "0.01"])).code).toBe(0);
  });

  it("a file takes no options after '--', and says so naming the file", async () => {
    const f = file("opts.yaml", "name: w\nprocesses:\n  - name: p\n    regions: [{name: buf, size: 4M}]\n");
    const r = await cli(["run", "--workload-file", f, "--", "-p", "2"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`balancenuma: ${f}: a workload file takes no options after '--' (got '-p 2')\n`);
  });

  it("a random access of a billion touches per pass runs (touches are generated as they run)", async () => {
    const f = file(
      "touches.yaml",
      "name: w\nprocesses:\n  - name: p\n    regions: [{name: buf, size: 4M}]\n    threads: [{phases: [{access: {region: buf, pattern: random, touchesPerLoop: 1000000000}}]}]\n",
    );
    const r = await cli(["run", "--workload-file", f, "--seconds", "0.02", "--json"]);
    expect(r.code).toBe(0);
    const p = (JSON.parse(r.out) as { processes: { localTouches: number; remoteTouches: number }[] }).processes[0];
    expect(p.localTouches + p.remoteTouches).toBeGreaterThan(1000);
  });
});

describe("balancenuma run with a workload bigger than the machine", () => {
  it.each([
    [
      ["run", "--scale", "64"],
      /^balancenuma: remote-memory at scale 64 needs 32\.1 GiB of memory bound to node 0, but node 0 of machine 'default' has 2 GiB free .*; use a smaller --scale \(2 or less\), or a bigger --topology/,
    ],
    [
      ["run", "--sysctl", "vm.min_free_kbytes=4194304"],
      /^balancenuma: remote-memory at scale 1 needs 513 MiB .* has 0 B free \(2 GiB less 2 GiB kept free by the kernel's min watermarks\); use a smaller --sysctl vm\.min_free_kbytes/,
    ],
    [
      ["run", "-w", "perf-numa-mem", "--", "-P", "1e12"],
      /^balancenuma: perf bench numa: -p 1 -t 1 -G 1 -P 1000000000000 \(MB\) needs [\d.]+ PiB of memory, but machine 'default' has 3\.99 GiB free .*\(4087 MB fit\)/,
    ],
  ])("%j: one line, exit 2, before anything runs", async (args, msg) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(msg);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });
});
