import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseWorkloadFile, validateSpec } from "./spec-problems.js";
import { runWorkload } from "./run.js";
import { WorkloadError } from "@balancenuma/userspace";

const docs = fileURLToPath(new URL("../../../docs/workloads/", import.meta.url));
const load = (f: string) => parseWorkloadFile(readFileSync(docs + f, "utf8"), f);

async function problem(doc: unknown): Promise<string> {
  try {
    await validateSpec(doc, "w.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(WorkloadError);
    return (e as Error).message;
  }
  throw new Error("expected a validation error");
}

async function fileProblem(text: string): Promise<string> {
  try {
    await parseWorkloadFile(text, "w.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(WorkloadError);
    return (e as Error).message;
  }
  throw new Error("expected a problem");
}

const ok = { name: "x", processes: [{ name: "p", regions: [{ name: "buf", size: "4M" }], threads: [{ count: 2, phases: [{ access: { region: "buf" } }] }] }] };

describe("workload file format", () => {
  it("every example in docs/workloads validates", async () => {
    const files = readdirSync(docs).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect((await load(f)).processes.length).toBeGreaterThan(0);
  });

  it("fills defaults and parses sizes", async () => {
    const s = await validateSpec(ok);
    expect(s.processes[0].regions[0].size).toBe(4 * 1024 * 1024);
    expect(s.processes[0].threads[0].phases[0]).toMatchObject({ access: { pattern: "sequential", loops: "forever", write: true } });
  });

  it.each([
    [{ ...ok, processes: [] }, /^w\.yaml: processes: expected at least one process/],
    [
      { name: "x", processes: [{ ...ok.processes[0], threads: [{ count: 0 }] }] },
      /^w\.yaml: processes\[0\]\.threads\[0\]\.count: expected a whole number from 1 to 4096, got 0$/,
    ],
    [
      { name: "x", processes: [{ ...ok.processes[0], regions: [{ name: "buf", size: "lots" }] }] },
      /processes\[0\]\.regions\[0\]\.size: expected a size like 4096, 512M or 1\.5G, above 0 and at most 1T, got 'lots'/,
    ],
    [
      { name: "x", processes: [{ ...ok.processes[0], threads: [{ phases: [{ access: { region: "nope" } }] }] }] },
      /processes\[0\]\.threads\[0\]\.phases\[0\]\.access\.region: expected the name of a region .*\(buf\), got 'nope'/,
    ],
    [
      { name: "x", processes: [{ ...ok.processes[0], cpus: "some" }] },
      /processes\[0\]\.cpus: expected "all", a list of CPU ids or \{nodes: \[\.\.\.\]\}, got 'some'/,
    ],
    [{ name: "x", processes: [{ ...ok.processes[0], mempolicy: { mode: "bind" } }] }, /processes\[0\]\.mempolicy\.nodes: missing/],
    [{ ...ok, colour: "red" }, /^w\.yaml: \(top level\): unknown field 'colour'; the fields here are name, description, seconds, processes$/],
    [
      { name: "x", processes: [{ ...ok.processes[0], threads: [{ phases: [{ sleep: 1, compute: 1 }] }] }] },
      /threads\[0\]\.phases\[0\]: expected exactly one of access, mempolicy, affinity, sleep, compute, barrier, got sleep and compute/,
    ],
    [
      { name: "x", processes: [{ ...ok.processes[0], main: [{ access: { region: "buf", slice: { index: 2, of: 2 } } }] }] },
      /main\[0\]\.access\.slice: slice index must be below 'of'/,
    ],
  ])("names the field path of a bad file (%#)", async (doc, msg) => {
    expect(await problem(doc)).toMatch(msg);
  });

  it("reports YAML and JSON syntax errors with the line and column", async () => {
    await expect(parseWorkloadFile("name: w\nprocesses:\n  - name: p\n    regions: [{name: buf, size: 4M\n", "bad.yaml")).rejects.toThrow(
      /^bad\.yaml:5:1: not valid YAML or JSON: Flow map/,
    );
    await expect(parseWorkloadFile('{"name": "w",\n "processes": [}', "bad.json")).rejects.toThrow(/^bad\.json:2:\d+: not valid YAML or JSON: /);
    await expect(parseWorkloadFile("name: w\nname: v\n", "dup.yaml")).rejects.toThrow(/^dup\.yaml:2:1: not valid YAML or JSON: Map keys must be unique/);
    await expect(parseWorkloadFile("", "empty.yaml")).rejects.toThrow(/^empty\.yaml: the file is empty/);
    // A billion laughs: aliases that would expand past the host's memory are refused.
    const laughs = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`),
    ].join("\n");
    await expect(parseWorkloadFile(laughs, "laughs.yaml")).rejects.toThrow(/^laughs\.yaml: not valid YAML or JSON: .*alias/i);
  });

  it("lists every problem, one per line, each with the file, line, column and field path", async () => {
    const text = [
      "name: w",
      "processes:",
      "  - name: p",
      "    cuont: 2",
      "    regions: [{name: buf, size: 4M}]",
      "    threads:",
      "      - count: 0",
      "        phases:",
      "          - access: {region: buf, pattern: hotset, touchesPerLop: 5}",
      "          - slep: 1",
      "          - sleep: -1",
    ].join("\n");
    const lines = (await fileProblem(text)).split("\n");
    expect(lines).toEqual([
      "w.yaml:4:5: processes[0]: unknown field 'cuont' (did you mean 'count'?)",
      "w.yaml:7:16: processes[0].threads[0].count: expected a whole number from 1 to 4096, got 0",
      "w.yaml:9:44: processes[0].threads[0].phases[0].access.pattern: expected one of sequential, random, hot-set, chunked-walk, got 'hotset' (did you mean 'hot-set'?)",
      "w.yaml:9:52: processes[0].threads[0].phases[0].access: unknown field 'touchesPerLop' (did you mean 'touchesPerLoop'?)",
      "w.yaml:10:13: processes[0].threads[0].phases[1]: unknown field 'slep' (did you mean 'sleep'?)",
      "w.yaml:11:20: processes[0].threads[0].phases[2].sleep: expected seconds above 0 and at most 36000, got -1",
    ]);
  });

  it("reports a mistake inside a union where the value was meant to go", async () => {
    const p = (extra: object) => problem({ name: "x", processes: [{ ...ok.processes[0], ...extra }] });
    expect(await p({ main: [{ access: { region: "buf", slice: { index: 1 } } }] })).toMatch(
      /^w\.yaml: processes\[0\]\.main\[0\]\.access\.slice\.of: missing, expected a whole number from 1 to 65536$/,
    );
    expect(await p({ main: [{ access: { region: "buf", loops: "forevr" } }] })).toMatch(
      /main\[0\]\.access\.loops: expected a whole number of passes or "forever", got 'forevr' \(did you mean 'forever'\?\)$/,
    );
    expect(await p({ mempolicy: { mode: "bnd", nodes: [0] } })).toMatch(
      /processes\[0\]\.mempolicy\.mode: expected one of default, local, bind, interleave, preferred, got 'bnd' \(did you mean 'bind'\?\)$/,
    );
    expect(await p({ cpus: { nodes: [99] } })).toMatch(/processes\[0\]\.cpus\.nodes\[0\]: expected a node id from 0 to 63, got 99$/);
  });

  it("lists at most 20 problems, then how many more", async () => {
    const phases = Array.from({ length: 25 }, () => ({ sleep: -1 }));
    const lines = (await problem({ name: "x", processes: [{ ...ok.processes[0], threads: [{ phases }] }] })).split("\n");
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe("w.yaml: and 5 more problems");
  });

  it.each([
    [
      "chunkBytes",
      { access: { region: "buf", pattern: "chunked-walk", chunkBytes: 1e15 } },
      /chunkBytes: expected a whole number from 4096 to 1073741824, got 1000000000000000$/,
    ],
    [
      "touchesPerLoop",
      { access: { region: "buf", pattern: "random", touchesPerLoop: 1e12 } },
      /touchesPerLoop: expected a whole number from 1 to 1000000000, got 1000000000000$/,
    ],
    ["loops", { access: { region: "buf", loops: 1e300 } }, /loops: expected a whole number from 1 to 1000000000, got 1e\+300$/],
    ["access seconds", { access: { region: "buf", seconds: 1e9 } }, /seconds: expected seconds above 0 and at most 36000, got 1000000000$/],
    ["sleep", { sleep: 1e9 }, /sleep: expected seconds above 0 and at most 36000/],
    ["compute", { compute: 36001 }, /compute: expected seconds above 0 and at most 36000/],
    ["hotFraction", { access: { region: "buf", pattern: "hot-set", hotFraction: 0 } }, /hotFraction: expected a fraction above 0 and at most 1, got 0$/],
    ["hotProbability", { access: { region: "buf", pattern: "hot-set", hotProbability: 1.5 } }, /hotProbability: expected a probability from 0 to 1, got 1\.5$/],
  ])("bounds %s, with the bound in the message", async (_what, phase, msg) => {
    expect(await problem({ name: "x", processes: [{ ...ok.processes[0], threads: [{ phases: [phase] }] }] })).toMatch(msg);
  });

  it("bounds sizes and counts", async () => {
    expect(await problem({ name: "x", processes: [{ ...ok.processes[0], regions: [{ name: "buf", size: 1e15 }] }] })).toMatch(
      /regions\[0\]\.size: expected a size .* at most 1T, got 1000000000000000$/,
    );
    expect(await problem({ name: "x", processes: [{ ...ok.processes[0], regions: [{ name: "buf", size: "2T" }] }] })).toMatch(/at most 1T, got '2T'$/);
    expect(await problem({ name: "x", processes: [{ ...ok.processes[0], count: 5000 }] })).toMatch(
      /^w\.yaml: processes\[0\]\.count: expected a whole number from 1 to 1024, got 5000$/m,
    );
  });

  it("refuses a workload the simulator cannot hold in host memory, naming the limit", async () => {
    // 1024 x 4097 tasks were within the old per-field limits and crashed V8.
    const big = { name: "x", processes: [{ ...ok.processes[0], count: 1024, threads: [{ count: 4096 }] }] };
    expect(await problem(big)).toBe(
      "w.yaml: processes: 4195328 tasks (processes and their threads), more than the 65536 the simulator holds (each takes about 5 KiB of host memory); use fewer or smaller process and thread counts",
    );
    const regions = Array.from({ length: 20 }, (_, i) => ({ name: `r${i}`, size: "4K" }));
    expect(await problem({ name: "x", processes: [{ name: "p", count: 64, threads: [{ count: 63, regions }] }] })).toMatch(
      /^w\.yaml: processes: 80640 mapped regions, more than the 65536/,
    );
  });

  it("refuses duplicate region names, naming both places", async () => {
    const dup = {
      name: "x",
      processes: [
        {
          name: "p",
          regions: [
            { name: "buf", size: "4M" },
            { name: "buf", size: "8M" },
          ],
          threads: [{ regions: [{ name: "buf", size: "1M" }] }],
        },
      ],
    };
    expect((await problem(dup)).split("\n")).toEqual([
      "w.yaml: processes[0].regions[1].name: region name 'buf' is already used by processes[0].regions[0]; give each region its own name",
      "w.yaml: processes[0].threads[0].regions[0].name: region name 'buf' is already used by processes[0].regions[0]; give each region its own name",
    ]);
    // Different thread groups (and different processes) may reuse a name: no thread sees both.
    await validateSpec({
      name: "x",
      processes: [{ name: "p", threads: [{ regions: [{ name: "a", size: "1M" }] }, { regions: [{ name: "a", size: "1M" }] }] }],
    });
  });

  it("checks every node and CPU id against the machine before running, naming the file", async () => {
    const spec = await validateSpec(
      {
        ...ok,
        processes: [
          { ...ok.processes[0], cpus: { nodes: [3] }, threads: [{ count: 2, phases: [{ affinity: [0, 9] }, { mempolicy: { mode: "bind", nodes: [5] } }] }] },
        ],
      },
      "w.yaml",
    );
    let message = "";
    try {
      runWorkload({ spec, topology: "nodes=2,cpus=2,mem=64M", seconds: 0.01 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "w.yaml: processes[0].cpus.nodes: expected node ids below 2 on this machine, got 3",
      "w.yaml: processes[0].threads[0].phases[0].affinity: expected CPU ids below 4 on this machine, got 9",
      "w.yaml: processes[0].threads[0].phases[1].mempolicy.nodes: expected node ids below 2 on this machine, got 5",
    ]);
  });

  it("refuses a file whose memory does not fit the machine before running, with the sizes and fixes", async () => {
    const spec = await validateSpec({ name: "x", processes: [{ name: "p", count: 4, regions: [{ name: "buf", size: "64M" }] }] }, "w.yaml");
    expect(() => runWorkload({ spec, topology: "nodes=2,cpus=2,mem=64M", seconds: 0.01 })).toThrow(
      /^w\.yaml at scale 1 needs 256\.5 MiB of memory, but machine 'nodes=2,cpus=2,mem=64M' has 1\d\d\.\d+ MiB free \(128 MiB less [\d.]+ [KM]iB kept free by the kernel's min watermarks\); use a smaller --scale \(1\/4 or less\)/,
    );
    expect(() => runWorkload({ spec, topology: "nodes=2,cpus=2,mem=64M", seconds: 0.01 })).toThrow(
      /, or smaller region sizes in the file, or a bigger --topology \(e\.g\. nodes=2,cpus=2,mem=1G\)$/,
    );
    // Memory bound to a node (mbind, or the process's bind mempolicy) must fit that node.
    const bound = async (extra: object) =>
      await validateSpec(
        { name: "x", processes: [{ name: "p", regions: [{ name: "buf", size: "48M", ...extra }], main: [{ access: { region: "buf", loops: 1 } }] }] },
        "b.yaml",
      );
    const onNode1 = /^b\.yaml at scale 1 needs 48\.1 MiB of memory bound to node 1, but node 1 of machine 'nodes=2,cpus=2,mem=64M\+32M' has 3\d\.\d+ MiB free/;
    const machine = { topology: "nodes=2,cpus=2,mem=64M+32M", seconds: 0.01 };
    const boundTo1 = await bound({ policy: { mode: "bind", nodes: [1] } });
    expect(() => runWorkload({ ...machine, spec: boundTo1 })).toThrow(onNode1);
    const procBound = await validateSpec(
      {
        name: "x",
        processes: [
          { name: "p", mempolicy: { mode: "bind", nodes: [1] }, regions: [{ name: "buf", size: "48M" }], main: [{ access: { region: "buf", loops: 1 } }] },
        ],
      },
      "b.yaml",
    );
    expect(() => runWorkload({ ...machine, spec: procBound })).toThrow(onNode1);
    // Unbound (or bound to node 0, which has room), it runs.
    expect(runWorkload({ ...machine, spec: await bound({}) }).report.processes).toHaveLength(1);
    expect(runWorkload({ ...machine, spec: await bound({ policy: { mode: "bind", nodes: [0] } }) }).report.processes).toHaveLength(1);
    // At a scale that fits, it runs.
    expect(runWorkload({ spec, topology: "nodes=2,cpus=2,mem=64M", seconds: 0.01, scale: 0.25 }).report.processes).toHaveLength(4);
  });
});

describe("a file workload and its built-in twin give the same results", () => {
  // Both run through the same spec runner: the reports must be byte-identical.
  it.each(["numa02", "numa02-hard-bind"])("%s.yaml = its built-in twin on the default machine", async (name) => {
    const opts = { topology: "default", seconds: 0.2, seed: 1 };
    const file = runWorkload({ ...opts, spec: await load(`${name}.yaml`) }).report;
    const builtin = runWorkload({ ...opts, workload: name }).report;
    expect(JSON.stringify(file, null, 2)).toBe(JSON.stringify(builtin, null, 2));
  });

  it("numa01.yaml = --workload numa01 (odd seed) but for the scale it reports", async () => {
    const opts = { topology: "default", seconds: 0.2, seed: 1 };
    const file = runWorkload({ ...opts, spec: await load("numa01.yaml") }).report;
    const builtin = runWorkload({ ...opts, workload: "numa01" }).report;
    expect(builtin.scale).toBe(0.125);
    expect(JSON.stringify({ ...file, scale: 0 })).toBe(JSON.stringify({ ...builtin, scale: 0 }));
  });
});
