import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunReport } from "@balancenuma/workloads";
import { main } from "../src/main.js";
import { equivalentRun } from "../src/invocation.js";
import { cli } from "./helpers.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));

async function runJson(args: string[]): Promise<string> {
  let out = "";
  const code = await main(["run", "--json", ...args], { out: (s) => (out += s), err: () => {}, isTTY: false });
  expect(code).toBe(0);
  return out;
}

describe("balancenuma run", () => {
  const args = ["--workload", "private-halves", "--seconds", "1", "--seed", "42"];

  it("gives byte-identical JSON for the same inputs and seed, in one process and in a fresh one", async () => {
    const a = await runJson(args);
    const b = await runJson(args);
    expect(b).toBe(a);
    const fresh = execFileSync(process.execPath, ["--conditions=@balancenuma/source", "--import", "tsx", "packages/cli/src/bin.ts", "run", "--json", ...args], {
      cwd: root,
      encoding: "utf8",
    });
    expect(fresh).toBe(a);
  });

  it("shows the kernel's boot warnings on stderr: an unknown numa_balancing= value is not silent (and leaves balancing off)", async () => {
    const run = async (step: string, cmdline: string) => {
      let out = "";
      let err = "";
      const code = await main(["run", "--json", "--step", step, "-t", "nodes=2,cpus=2,mem=128M", "--thp", "never", "--seconds", "3", "--cmdline", cmdline], {
        out: (s) => (out += s),
        err: (s) => (err += s),
        isTTY: false,
      });
      return { code, err, migrated: (JSON.parse(out) as { mmtests: { numaPagesMigrated: number } }).mmtests.numaPagesMigrated };
    };
    const maybe = await run("49", "numa_balancing=maybe");
    expect(maybe).toMatchObject({ code: 0, err: "balancenuma: kernel warning at boot: Unable to parse numa_balancing=\n", migrated: 0 });
    expect(await run("49", "numa_balancing=enable")).toMatchObject({ err: "" });
    expect((await run("49", "numa_balancing=enable")).migrated).toBeGreaterThan(0);
    // Before step 42 the kernel has no numa_balancing= parameter: Linux hands unknown words to init, silently.
    expect((await run("41", "numa_balancing=maybe")).err).toBe("");
  });

  it("prints a human summary with times, the resolved machine, the work done, per-node memory and counters", async () => {
    let out = "";
    expect(await main(["run", "--seconds", "1", "--step", "0"], { out: (s) => (out += s), err: () => {}, isTTY: false })).toBe(0);
    expect(out).toMatch(/^workload remote-memory on machine default, step 0/m);
    expect(out).toMatch(/^machine default: 2 nodes x \(4 CPUs, 2 GiB\), 8 CPUs and 4 GiB in all, node distance 20 \(local 10\); THP always$/m);
    expect(out).toMatch(/elapsed 1\.000 s\s+user [\d.]+ s\s+system [\d.]+ s/);
    expect(out).toMatch(/^work: 1 thread touched [\d.]+ GB, [\d.]+ GB\/s; per thread [\d.]+ GB; stopped by the 1 s time cap with work left/m);
    expect(out).toMatch(/node0 MiB\s+node1 MiB/);
    expect(out).toMatch(/^\s+pgfault\s+\d+/m);
  });

  it("says what a short --topology filled in", async () => {
    const out = (await cli(["run", "--step", "0", "--seconds", "0.1", "-t", "nodes=3,cpus=2+4+0,mem=1G"])).out;
    expect(out).toMatch(
      /^machine nodes=3,cpus=2\+4\+0,mem=1G: 3 nodes: 1 x \(2 CPUs, 1 GiB\) \+ 1 x \(4 CPUs, 1 GiB\) \+ 1 x \(0 CPUs, 1 GiB\), 6 CPUs and 3 GiB in all, node distance 20 \(local 10\); THP always$/m,
    );
  });

  it("shows n/a for the local share of a process that touched no memory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bn-run-"));
    writeFileSync(join(dir, "think.yaml"), "name: think\nprocesses:\n  - name: think\n    main:\n      - compute: 0.05\n");
    const out = (await cli(["run", "-f", join(dir, "think.yaml"), "-t", "nodes=2,cpus=2,mem=128M"])).out;
    expect(out).toMatch(/^ +1 +think +1 +[\d.]+ +[\d.]+ +n\/a +0\.000 /m);
    expect(out).toMatch(/^work: no thread touched memory$/m);
  });

  it("shows where an exited process's memory was at its last sample, labelled so", async () => {
    const out = (await cli(["run", "--step", "0", "-w", "numa01", "--scale", "1/64", "-t", "nodes=2,cpus=2,mem=512M", "--sample-every", "0.25"])).out;
    const rows = out.split("\n").filter((l) => /^ +[12] +numa01 /.test(l));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatch(/ [\d.]+ s \(last sample before its exit at [\d.]+ s\)$/);
      // numa01 binds every first touch to one node: 48 MiB there, none on the other.
      expect(row).toMatch(/ (0\.0 +4\d\.\d|4\d\.\d +0\.0) /);
    }
    expect(out).toMatch(/memory as of/);
  });

  it("records in --json what was run: tool, version, step key, command line, machine and kernel settings", async () => {
    const args = ["run", "--json", "--step", "40", "--seconds", "0.1", "-t", "nodes=3", "--sysctl", "vm.min_free_kbytes=65536", "--thp", "never"];
    const r = JSON.parse((await cli(args)).out) as RunReport;
    expect(r.invocation).toMatchObject({ tool: "balancenuma", stepKey: "two-stage-filter", commandLine: ["balancenuma", ...args] });
    expect(r.invocation!.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.config.topology.nodes.map((n) => [n.cpus, n.memMiB])).toEqual([
      [[0, 1, 2, 3], 2048],
      [[4, 5, 6, 7], 2048],
      [[8, 9, 10, 11], 2048],
    ]);
    expect(r.config).toMatchObject({ thp: "never", seconds: 0.1, sampleEvery: 1 });
    expect(r.config.sysctl["vm.min_free_kbytes"]).toBe(65536);
    expect(r.seed).toBe(1);
    // The equivalent run is what bisect, compare and sweeps record for their runs.
    expect(equivalentRun({ workload: "numa02", topology: "default", seconds: 2, thp: "never" }, 49, 3)).toEqual([
      "balancenuma",
      "run",
      "--step",
      "49",
      "--seed",
      "3",
      "-w",
      "numa02",
      "-t",
      "default",
      "--seconds",
      "2",
      "--thp",
      "never",
      "--json",
    ]);
  });

  it("--profile adds the system time by kernel path, as in --json, most first, adding up to the system time", async () => {
    const args = ["-w", "remote-memory", "-t", "nodes=2,cpus=2,mem=128M", "--seconds", "3", "--step", "49"];
    const report = JSON.parse(await runJson(args)) as RunReport;
    const { code, out } = await cli(["run", "--profile", ...args]);
    expect(code).toBe(0);
    const rows = out
      .split("\n")
      .filter((l) => /^ {2}sys_\w+ +\d+ /.test(l))
      .map((l) => l.trim().split(/ +/));
    const total = Object.values(report.systemProfile).reduce((a, b) => a + b, 0);
    expect(rows.length).toBe(Object.values(report.systemProfile).filter((ns) => ns > 0).length);
    for (const [metric, ns, s, pct] of rows) {
      expect(Number(ns), metric).toBe(report.systemProfile[metric.slice(4)]);
      expect(s).toBe((Number(ns) / 1e9).toFixed(6));
      expect(pct).toBe(((100 * Number(ns)) / total).toFixed(2));
    }
    const ns = rows.map((r) => Number(r[1]));
    expect(ns).toEqual([...ns].sort((a, b) => b - a));
    expect(ns.reduce((a, b) => a + b, 0)).toBe(total);
    expect(out).toMatch(new RegExp(`^  system +${total} +${(total / 1e9).toFixed(6)} +100\\.00 `, "m"));
    expect(rows.map((r) => r[0])).toContain("sys_hinting_faults");
    expect((await cli(["run", ...args])).out).not.toContain("sys_hinting_faults");
  });

  it("--revert builds the kernel without those steps, says so in the header and records it; a step another needs is refused", async () => {
    const args = ["-t", "nodes=2,cpus=2,mem=128M", "--seconds", "0.5", "--step", "49", "--revert", "41,two-stage-filter"];
    const report = JSON.parse(await runJson(args)) as RunReport;
    expect(report.config.reverted).toEqual([40, 41]);
    expect(report.invocation!.commandLine).toEqual(["balancenuma", "run", "--json", ...args]);
    expect((await cli(["run", ...args])).out.split("\n")[0]).toMatch(
      /, step 49 \[rmap-walk-read-lock: .*\] without steps 40 \[two-stage-filter\], 41 \[scan-rate-adapt\], seed 1,/,
    );
    expect(await cli(["run", "--step", "49", "--revert", "37"])).toEqual({
      code: 2,
      out: "",
      err: "balancenuma: --revert 37: step 38 (thp-split-last-nid) needs step 37 (last-nid): it copies page->_last_nid, which step 37 adds; steps 39 and 40 need it too; revert 38, 39 and 40 as well, or build at a step below 38\n",
    });
    expect((await cli(["run", "--step", "30", "--revert", "40"])).err).toBe(
      "balancenuma: --revert 40: a kernel at step 30 does not have step 40; revert steps 1 to 30, or build at step 40 or later\n",
    );
    expect((await cli(["run", "--revert", "0"])).err).toMatch(
      /^balancenuma: option '--revert <steps>' argument '0' is invalid\. '0' is not a step to revert; give steps 1 to 49 \(numbers or keys\) separated by commas, e.g\. 40 or 40,41\n$/,
    );
  });
});
