import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "./main.js";

async function cli(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false });
  return { code, out, err };
}

describe("balancenuma command line", () => {
  it.each([
    [["run", "--step", "99"], /'99' is not a step; use a number from 0 to \d+/],
    [["run", "--step", "-1"], /not a step/],
    [["run", "--seconds", "0"], /not a duration/],
    // Numbers on the command line are decimal only: no hex, exponents or Infinity.
    [["run", "--seconds", "0x10"], /'0x10' is not a duration; use decimal seconds/],
    [["run", "--seconds", "1e1"], /'1e1' is not a duration/],
    [["run", "--seconds", "Infinity"], /'Infinity' is not a duration/],
    [["run", "-w", "kbuild", "--", "--jobs", "0x10"], /kbuild: option --jobs expects make -j slots .*got '0x10'/],
    [["run", "-w", "perf-numa-mem", "--", "-P", "0x10"], /perf bench numa: option '-P' \(mb_proc\) expects a size in MB/],
    [["run", "--topology", "nodes=2,nodes=3"], /topology gives nodes= twice/],
    [["run", "--topology", "nodes=2,mem=1G*1000000000"], /mem gives 1000000000 values for 2 nodes/],
    [["run", "--topology", "nodes=2,mem=1T"], /the model runs at most 512G in all/],
    [["run", "--topology", "nodes=8,cpus=1024,mem=16M"], /the model runs at most 1024 in all/],
    [["run", "--seed", "x"], /not a seed/],
    [["run", "--topology", "nodes=2,cpus=4+4+4"], /3 values for 2 nodes/],
    [["run", "--topology", "moon"], /unknown topology 'moon'/],
    [["run", "--workload", "nope"], /unknown workload 'nope'; built-ins: remote-memory, private-halves/],
    [["run", "--workload", "numa2"], /unknown workload 'numa2' \(did you mean 'numa02'\?\); built-ins: remote-memory/],
    [["run", "--step", "pmd-numa-migrat"], /'pmd-numa-migrat' is not a step \(did you mean 'pmd-numa-migrate'\?\); use a number from 0 to 49/],
    [["run", "--sysctl", "vm.nothing=1"], /unknown sysctl 'vm.nothing'/],
    [["run", "--sysctl", "novalue"], /not name=value/],
    [["run", "--thp", "sometimes"], /not a THP mode/],
    [["run", "--frobnicate"], /unknown option '--frobnicate'/],
    [["fly"], /unknown command 'fly'; commands: run, series, workloads/],
    // One line, never commander's suggestion on a second line.
    [["rn"], /^balancenuma: unknown command 'rn' \(did you mean 'run'\?\); commands: run, series/],
    [["run", "--seeed", "1"], /^balancenuma: unknown option '--seeed' \(did you mean --seed\?\)\n$/],
    // A machine too small for the workload: the simulated kernel has no memory left for it.
    [
      ["run", "-w", "kbuild", "-t", "nodes=2,cpus=2,mem=64M", "--seconds", "0.05"],
      /^balancenuma: kbuild at scale 1 needs [\d.]+ MiB of memory, but machine 'nodes=2,cpus=2,mem=64M' has [\d.]+ MiB free .*or a bigger --topology/,
    ],
    [["run", "--scale", "0"], /'0' is not a scale/],
    [["run", "-w", "numa02", "--", "-x"], /numa02 takes no options \(got '-x'\)/],
    [["run", "-w", "perf-numa-mem", "--seconds", "1", "--", "-p", "0", "-P", "1"], /perf bench numa: -p \(nr_proc\) expects at least 1/],
    [["run", "-w", "kbuild", "--", "--jobs", "many"], /kbuild: option --jobs expects make -j slots/],
    [["run", "--workload-file", "/nonexistent.yaml"], /cannot read workload file '\/nonexistent\.yaml': ENOENT/],
    [["run", "--workload-file", "BAD", "-w", "numa02"], /either --workload or --workload-file/],
  ])("%j is a usage error: one line, exit 2, no stack", async (args, msg) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe("");
  });

  it("a bad workload file is one line naming the field path, exit 2, nothing run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bn-"));
    const file = join(dir, "w.yaml");
    writeFileSync(file, "name: w\nprocesses:\n  - name: p\n    threads:\n      - count: -1\n");
    const r = await cli("run", "--workload-file", file);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`balancenuma: ${file}:5:16: processes[0].threads[0].count: expected a whole number from 1 to 4096, got -1\n`);
    expect(r.out).toBe("");
  });

  it("runs a workload file and passes options after -- to a built-in", async () => {
    const file = fileURLToPath(new URL("../../../docs/workloads/numa02.yaml", import.meta.url));
    const f = await cli("run", "--workload-file", file, "--topology", "nodes=2,cpus=2,mem=256M", "--scale", "1/16", "--seconds", "0.05", "--json");
    expect(f.code).toBe(0);
    expect(JSON.parse(f.out)).toMatchObject({ workload: "numa02", scale: 0.0625 });
    const p = await cli("run", "-w", "perf-numa-mem", "-t", "nodes=2,cpus=2,mem=64M", "--", "-p", "1", "-t", "2", "-P", "4", "-s", "1", "-q");
    expect(p.code).toBe(0);
    expect(p.out).toMatch(/^workload perf-numa-mem on machine .*, scale 1 -- -p 1 -t 2 -P 4 -s 1 -q$/m);
    expect(p.out).toMatch(/^ {32}\s*\d+\.\d{3}, GB\/sec, +total-speed$/m);
  });

  it("lists workloads, machines and the series", async () => {
    const w = (await cli("workloads")).out.trim().split("\n");
    expect(w.length).toBeGreaterThanOrEqual(19);
    for (const line of w) expect(line).toMatch(/^[a-z0-9-]+\s{2,}\S/);
    expect((await cli("workloads")).out).toMatch(/^remote-memory\s+one thread pinned/m);
    expect((await cli("workloads")).out).toMatch(/^numa02\s+autonumabench NUMA02/m);
    expect((await cli("machines")).out).toMatch(/^vega\s+/m);
    expect((await cli("series")).out).toMatch(/^\s+0\s+baseline\s+Linux 3\.7-rc6/m);
  });
});
