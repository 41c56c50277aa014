import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseWorkloadFile, validateSpec } from "./spec.js";
import { runWorkload } from "./run.js";
import { WorkloadError } from "./errors.js";

const docs = fileURLToPath(new URL("../../../docs/workloads/", import.meta.url));
const load = (f: string) => parseWorkloadFile(readFileSync(docs + f, "utf8"), f);

function problem(doc: unknown): string {
  try {
    validateSpec(doc, "w.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(WorkloadError);
    return (e as Error).message;
  }
  throw new Error("expected a validation error");
}

const ok = { name: "x", processes: [{ name: "p", regions: [{ name: "buf", size: "4M" }], threads: [{ count: 2, phases: [{ access: { region: "buf" } }] }] }] };

describe("workload file format", () => {
  it("every example in docs/workloads validates", () => {
    const files = readdirSync(docs).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(load(f).processes.length).toBeGreaterThan(0);
  });

  it("fills defaults and parses sizes", () => {
    const s = validateSpec(ok);
    expect(s.processes[0].regions[0].size).toBe(4 * 1024 * 1024);
    expect(s.processes[0].threads[0].phases[0]).toMatchObject({ access: { pattern: "sequential", loops: "forever", write: true } });
  });

  it.each([
    [{ ...ok, processes: [] }, /^w\.yaml: processes: .*>=1/],
    [{ name: "x", processes: [{ ...ok.processes[0], threads: [{ count: 0 }] }] }, /^w\.yaml: processes\[0\]\.threads\[0\]\.count: .*>=1/],
    [{ name: "x", processes: [{ ...ok.processes[0], regions: [{ name: "buf", size: "lots" }] }] }, /processes\[0\]\.regions\[0\]\.size: expected a size like 4096, 512M or 1\.5G/],
    [{ name: "x", processes: [{ ...ok.processes[0], threads: [{ phases: [{ access: { region: "nope" } }] }] }] }, /processes\[0\]\.threads\[0\]\.phases\[0\]\.access\.region: expected the name of a region .*\(buf\), got 'nope'/],
    [{ name: "x", processes: [{ ...ok.processes[0], cpus: "some" }] }, /processes\[0\]\.cpus: expected "all", a list of CPU ids or \{nodes: \[\.\.\.\]\}/],
    [{ name: "x", processes: [{ ...ok.processes[0], mempolicy: { mode: "bind" } }] }, /processes\[0\]\.mempolicy\.nodes/],
    [{ ...ok, colour: "red" }, /^w\.yaml: \(top level\): unknown field 'colour'/],
    [{ name: "x", processes: [{ ...ok.processes[0], threads: [{ phases: [{ sleep: 1, compute: 1 }] }] }] }, /threads\[0\]\.phases\[0\]: expected exactly one of access, mempolicy/],
    [{ name: "x", processes: [{ ...ok.processes[0], main: [{ access: { region: "buf", slice: { index: 2, of: 2 } } }] }] }, /main\[0\]\.access\.slice: slice index must be below 'of'/],
  ])("names the field path of a bad file (%#)", (doc, msg) => {
    expect(problem(doc)).toMatch(msg);
  });

  it("reports YAML syntax errors as workload errors", () => {
    expect(() => parseWorkloadFile("name: [unclosed", "bad.yaml")).toThrow(/^bad\.yaml: not valid YAML or JSON/);
  });

  it("checks node and CPU ids against the machine at start, before running", () => {
    const spec = validateSpec({ ...ok, processes: [{ ...ok.processes[0], cpus: { nodes: [3] } }] });
    expect(() => runWorkload({ spec, topology: "nodes=2,cpus=2,mem=64M", seconds: 0.01 })).toThrow(/processes\[0\]\.cpus\.nodes: expected node ids below 2 on this machine, got 3/);
  });
});

describe("a file workload and its built-in twin give the same results", () => {
  // Both run through the same spec runner: the reports must be byte-identical.
  it.each(["numa02", "numa02-hard-bind"])("%s.yaml = its built-in twin on the default machine", (name) => {
    const opts = { topology: "default", seconds: 0.2, seed: 1 };
    const file = runWorkload({ ...opts, spec: load(`${name}.yaml`) }).report;
    const builtin = runWorkload({ ...opts, workload: name }).report;
    expect(JSON.stringify(file, null, 2)).toBe(JSON.stringify(builtin, null, 2));
  });

  it("numa01.yaml = --workload numa01 (odd seed) but for the scale it reports", () => {
    const opts = { topology: "default", seconds: 0.2, seed: 1 };
    const file = runWorkload({ ...opts, spec: load("numa01.yaml") }).report;
    const builtin = runWorkload({ ...opts, workload: "numa01" }).report;
    expect(builtin.scale).toBe(0.125);
    expect(JSON.stringify({ ...file, scale: 0 })).toBe(JSON.stringify({ ...builtin, scale: 0 }));
  });
});
