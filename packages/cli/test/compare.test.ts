import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

const SMALL = ["-t", "nodes=2,cpus=2,mem=128M", "--seconds", "2"];

describe("balancenuma compare", () => {
  it("prints mmtests compare-kernels rows: min, mean, stddev and max over seeds, % change from the first step", () => {
    const r = cli(["compare", "31", "32", ...SMALL, "--seeds", "1,2", "--metrics", "numa_pages_migrated,local_percent"]);
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toBe("remote-memory on nodes=2,cpus=2,mem=128M, seeds 1,2");
    expect(lines[1]).toMatch(/step 31 +step 32$/);
    expect(lines[2]).toMatch(/migrate-on-reference +pmd-numa-migrate$/);
    expect(lines[3]).toMatch(/^Min +numa_pages_migrated +0\.00 \( +0\.00%\) +8192\.00 \( +n\/a\)$/);
    expect(lines[4]).toMatch(/^Amean +numa_pages_migrated +0\.00 \( +0\.00%\) +8192\.00 \( +n\/a\)$/);
    expect(lines[5]).toMatch(/^Stddev +numa_pages_migrated +0\.00 \( +0\.00%\) +0\.00 \( +0\.00%\)$/);
    expect(lines[6]).toMatch(/^Max +numa_pages_migrated +0\.00 \( +0\.00%\) +8192\.00 \( +n\/a\)$/);
    expect(lines[7]).toMatch(/^Min +local_percent +0\.00 \( +0\.00%\) +\d+\.\d\d \( +n\/a\)$/);
  });

  it("shows a counter the step's kernel lacks as absent, apart from a counted 0", () => {
    const r = cli(["compare", "0", "30", ...SMALL, "--metrics", "numa_pages_migrated,local_percent"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Amean +numa_pages_migrated +absent +0\.00 \( +n\/a\)$/m);
    expect(r.out).toMatch(/^Amean +local_percent +0\.00 \( +0\.00%\) +0\.00 \( +0\.00%\)$/m);
  });

  it("leads with throughput for runs stopped by their time cap, where elapsed is the cap", () => {
    const capped = cli(["compare", "0", "49", ...SMALL]).out.split("\n");
    expect(capped[3]).toMatch(/^Amean +throughput_gb_s +[\d.]+ \( +0\.00%\) +[\d.]+ \( +-?[\d.]+%\)$/);
    const done = cli(["compare", "0", "49", "-t", "nodes=2,cpus=2,mem=128M", "-w", "numa02", "--scale", "1/64"]).out.split("\n");
    expect(done[3]).toMatch(/^Amean +elapsed /);
  });

  it("takes seed ranges, and shows the run-to-run spread of a shared workload, tight for a private one", () => {
    const spread = (args: string[]) => {
      const r = cli(["compare", "49", ...args, "--seeds", "1-5", "--metrics", "elapsed"]);
      expect(r.code).toBe(0);
      expect(r.out.split("\n")[0]).toMatch(/seeds 1,2,3,4,5$/);
      const row = (label: string) => Number(new RegExp(`^${label} +elapsed +([\\d.]+)`, "m").exec(r.out)![1]);
      return { min: row("Min"), mean: row("Amean"), stddev: row("Stddev"), max: row("Max") };
    };
    // numa01: the threads of each process share its whole buffer across both nodes.
    const shared = spread(["-w", "numa01"]);
    expect(shared.stddev / shared.mean).toBeGreaterThan(0.03);
    expect(shared.min).toBeLessThan(shared.mean);
    expect(shared.max).toBeGreaterThan(shared.mean);
    // numa02: each thread sweeps its own slice.
    const priv = spread(["-w", "numa02", "-t", "nodes=2,cpus=2,mem=512M"]);
    expect(priv.stddev / priv.mean).toBeLessThan(0.02);
    // Ten whole runs: on a loaded 2-core machine they take longer than the default minute.
  }, 240_000);

  it("shows each kernel boot warning once, however many runs print it", () => {
    const r = cli(["compare", "42", "49", "-t", "nodes=2,cpus=2,mem=128M", "--seconds", "0.1", "--seeds", "1,2", "--metrics", "elapsed", "--cmdline", "numa_balancing=maybe"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("balancenuma: kernel warning at boot: Unable to parse numa_balancing=\n");
  });

  it("compares saved results: run --json reports and sweep JSON lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "bn-compare-"));
    const a = cli(["run", "--json", "--step", "30", ...SMALL]).out;
    const b = JSON.parse(cli(["run", "--json", "--step", "32", ...SMALL]).out) as { workload: string; machine: string };
    writeFileSync(join(dir, "a.json"), a);
    writeFileSync(join(dir, "b.jsonl"), JSON.stringify({ step: 32, workload: b.workload, machine: b.machine, seed: 1, report: b }) + "\n");
    const r = cli(["compare", "--results", join(dir, "a.json"), "--results", join(dir, "b.jsonl"), "--metrics", "numa_hint_faults"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/step 30 +step 32/);
    expect(r.out).toMatch(/^Amean +numa_hint_faults +(\d+)\.00 \( +0\.00%\) +\1\.00 \( +0\.00%\)$/m);
    const bad = cli(["compare", "--results", join(dir, "a.json"), "40"]);
    expect([bad.code, bad.err]).toEqual([2, "balancenuma: the results hold no run at step 40; they have steps 30\n"]);
  });

  it.each([
    ["null", /line 1 is not a run report/],
    ["[]", /is not a run report/],
    ['{"step": 1, "elapsedSeconds": 1, "vmstatDelta": {}}', /is not a run report/],
    ['{"step": 1, "workload": "w", "machine": "m", "seed": 1, "report": null}', /is not a run report/],
  ])("a results file holding %s is a usage error, not an internal one", (text, message) => {
    const file = join(mkdtempSync(join(tmpdir(), "bn-compare-")), "r.json");
    writeFileSync(file, text);
    const r = cli(["compare", "--results", file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });

  it.each([
    [["30", "nope"], /^balancenuma: .*'nope' is not a step/],
    [["30", "49", "--metrics", ""], /^balancenuma: option '--metrics <list>' argument '' is invalid\. '' is not a list of metrics/],
    [["--results", ""], /the name is empty/],
    [["30", "49", "--metrics", "bogus"], /^balancenuma: unknown metric 'bogus'/],
    [["30", "49", "-w", "numa02", "--metrics", "elapsed,pid2.user"], /^balancenuma: 'pid2.user' names no process of numa02: its processes are pid 1 /],
    [["--results", "/nonexistent/x.json"], /^balancenuma: cannot read results file '\/nonexistent\/x.json': ENOENT/],
    [[], /^balancenuma: name the steps to compare/],
    [["30", "49", "--seeds", "5-1"], /^balancenuma: .*'5-1' is an empty range of seeds; write the smaller seed first/],
    [["30", "49", "--seeds", "1-5000"], /^balancenuma: .*'1-5000' names more than 1000 seeds/],
    [["30", "49", "--seeds", "1-3,2"], /^balancenuma: .*'1-3,2' names a seed twice/],
  ])("rejects %j with one line and exit code 2", (args, message) => {
    const r = cli(["compare", ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });
});
