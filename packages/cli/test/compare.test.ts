import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

const SMALL = ["-t", "nodes=2,cpus=2,mem=128M", "--seconds", "2"];

describe("balancenuma compare", () => {
  it("prints mmtests compare-kernels rows: min, mean, stddev and max over seeds, % change from the first step", async () => {
    const r = await cli(["compare", "31", "32", ...SMALL, "--seeds", "1,2", "--metrics", "numa_pages_migrated,local_percent"]);
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

  it("puts a kernel without a step beside the whole one: 49-40 migrates numa01's pages shared between nodes, which 49 keeps", async () => {
    const r = await cli([
      "compare",
      "49",
      "49-40",
      "-w",
      "numa01",
      "-t",
      "nodes=2,cpus=2,mem=512M",
      "--seconds",
      "3",
      "--thp",
      "never",
      "--metrics",
      "numa_pages_migrated",
    ]);
    expect([r.code, r.err]).toEqual([0, ""]);
    const lines = r.out.split("\n");
    expect(lines[1]).toBe("49-40 is step 49 without 40 (two-stage-filter)");
    expect(lines[2]).toMatch(/step 49 +step 49-40$/);
    const [full, without] = /^Amean +numa_pages_migrated +([\d.]+) .* ([\d.]+) \(/m.exec(r.out)!.slice(1).map(Number);
    expect(without).toBeGreaterThan(1.5 * full);
  });

  it("builds every kernel without --revert's steps it has, and refuses a kernel the series cannot build, in one line", async () => {
    const r = await cli(["compare", "39", "49", ...SMALL, "--revert", "41", "--metrics", "elapsed"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/step 39 +step 49-41$/m);
    for (const [args, err] of [
      [
        ["49", "49-37"],
        "balancenuma: '49-37': step 38 (thp-split-last-nid) needs step 37 (last-nid): it copies page->_last_nid, which step 37 adds; steps 39 and 40 need it too; revert 38, 39 and 40 as well, or build at a step below 38\n",
      ],
      [
        ["49", "49-x"],
        "balancenuma: '49-x' is not a kernel: give a step (a number 0-49 or a key) or STEP-N[-M...], the step without steps N, M (e.g. 49-40)\n",
      ],
      [["30-40"], "balancenuma: '30-40': a kernel at step 30 does not have step 40; revert steps 1 to 30, or build at step 40 or later\n"],
      [["49-40", "49-40"], "balancenuma: a kernel is named twice; name each kernel once\n"],
      [
        ["49", "--revert", "48"],
        "balancenuma: '49' with --revert 48: step 49 (rmap-walk-read-lock) needs step 48 (anon-vma-rwsem): it changes the gate anonVmaLock, which step 48 sets: it builds on that step's value; revert 49 as well, or build at a step below 49\n",
      ],
    ] as const) {
      const bad = await cli(["compare", ...args, ...SMALL]);
      expect([bad.code, bad.err]).toEqual([2, err]);
    }
  });

  it("shows a counter the step's kernel lacks as absent, apart from a counted 0", async () => {
    const r = await cli(["compare", "0", "30", ...SMALL, "--metrics", "numa_pages_migrated,local_percent"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Amean +numa_pages_migrated +absent +0\.00 \( +n\/a\)$/m);
    expect(r.out).toMatch(/^Amean +local_percent +0\.00 \( +0\.00%\) +0\.00 \( +0\.00%\)$/m);
  });

  it("leads with throughput for runs stopped by their time cap, where elapsed is the cap", async () => {
    const capped = (await cli(["compare", "0", "49", ...SMALL])).out.split("\n");
    expect(capped[3]).toMatch(/^Amean +throughput_gb_s +[\d.]+ \( +0\.00%\) +[\d.]+ \( +-?[\d.]+%\)$/);
    const done = (await cli(["compare", "0", "49", "-t", "nodes=2,cpus=2,mem=128M", "-w", "numa02", "--scale", "1/64"])).out.split("\n");
    expect(done[3]).toMatch(/^Amean +elapsed /);
  });

  it("takes seed ranges, and shows the run-to-run spread of a shared workload, tight for a private one", async () => {
    const spread = async (args: string[]) => {
      const r = await cli(["compare", "49", ...args, "--seeds", "1-5", "--metrics", "elapsed"]);
      expect(r.code).toBe(0);
      expect(r.out.split("\n")[0]).toMatch(/seeds 1,2,3,4,5$/);
      const row = (label: string) => Number(new RegExp(`^${label} +elapsed +([\\d.]+)`, "m").exec(r.out)![1]);
      return { min: row("Min"), mean: row("Amean"), stddev: row("Stddev"), max: row("Max") };
    };
    // numa01: the threads of each process share its whole buffer across both nodes.
    const shared = await spread(["-w", "numa01"]);
    expect(shared.stddev / shared.mean).toBeGreaterThan(0.03);
    expect(shared.min).toBeLessThan(shared.mean);
    expect(shared.max).toBeGreaterThan(shared.mean);
    // numa02: each thread sweeps its own slice.
    const priv = await spread(["-w", "numa02", "-t", "nodes=2,cpus=2,mem=512M"]);
    expect(priv.stddev / priv.mean).toBeLessThan(0.02);
    // Ten whole runs: on a loaded 2-core machine they take longer than the default minute.
  }, 240_000);

  it("shows each kernel boot warning once, however many runs print it", async () => {
    const r = await cli([
      "compare",
      "42",
      "49",
      "-t",
      "nodes=2,cpus=2,mem=128M",
      "--seconds",
      "0.1",
      "--seeds",
      "1,2",
      "--metrics",
      "elapsed",
      "--cmdline",
      "numa_balancing=maybe",
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("balancenuma: kernel warning at boot: Unable to parse numa_balancing=\n");
  });

  it("compares saved results: run --json reports and sweep JSON lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bn-compare-"));
    const a = (await cli(["run", "--json", "--step", "30", ...SMALL])).out;
    const b = JSON.parse((await cli(["run", "--json", "--step", "32", ...SMALL])).out) as { workload: string; machine: string };
    writeFileSync(join(dir, "a.json"), a);
    writeFileSync(join(dir, "b.jsonl"), JSON.stringify({ step: 32, workload: b.workload, machine: b.machine, seed: 1, report: b }) + "\n");
    const r = await cli(["compare", "--results", join(dir, "a.json"), "--results", join(dir, "b.jsonl"), "--metrics", "numa_hint_faults"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/step 30 +step 32/);
    expect(r.out).toMatch(/^Amean +numa_hint_faults +(\d+)\.00 \( +0\.00%\) +\1\.00 \( +0\.00%\)$/m);
    const bad = await cli(["compare", "--results", join(dir, "a.json"), "40"]);
    expect([bad.code, bad.err]).toEqual([2, "balancenuma: the results hold no run at step 40; they have steps 30\n"]);
    // A saved run of a kernel without a step is its own column.
    writeFileSync(join(dir, "c.json"), (await cli(["run", "--json", "--step", "32", "--revert", "31", ...SMALL])).out);
    const ablated = await cli(["compare", "--results", join(dir, "b.jsonl"), "--results", join(dir, "c.json"), "--metrics", "numa_hint_faults"]);
    expect(ablated.out).toMatch(/step 32 +step 32-31$/m);
    expect((await cli(["compare", "--results", join(dir, "c.json"), "32-30"])).err).toBe(
      "balancenuma: the results hold no run at step 32-30; they have steps 32-31\n",
    );
  });

  it.each([
    ["null", /line 1 is not a run report/],
    ["[]", /is not a run report/],
    ['{"step": 1, "elapsedSeconds": 1, "vmstatDelta": {}}', /is not a run report/],
    ['{"step": 1, "workload": "w", "machine": "m", "seed": 1, "report": null}', /is not a run report/],
  ])("a results file holding %s is a usage error, not an internal one", async (text, message) => {
    const file = join(mkdtempSync(join(tmpdir(), "bn-compare-")), "r.json");
    writeFileSync(file, text);
    const r = await cli(["compare", "--results", file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });

  it.each([
    [["30", "nope"], /^balancenuma: .*'nope' is not a step/],
    [["30", "two-stage-filtr"], /^balancenuma: 'two-stage-filtr' is not a step \(did you mean 'two-stage-filter'\?\)/],
    [["30", "49", "--metrics", ""], /^balancenuma: option '--metrics <list>' argument '' is invalid\. '' is not a list of metrics/],
    [["--results", ""], /the name is empty/],
    [["30", "49", "--metrics", "bogus"], /^balancenuma: unknown metric 'bogus'/],
    [["30", "49", "-w", "numa02", "--metrics", "elapsed,pid2.user"], /^balancenuma: 'pid2.user' names no process of numa02: its processes are pid 1 /],
    [["--results", "/nonexistent/x.json"], /^balancenuma: cannot read results file '\/nonexistent\/x.json': ENOENT/],
    [[], /^balancenuma: name the kernels to compare/],
    [["30", "49", "--seeds", "5-1"], /^balancenuma: .*'5-1' is an empty range of seeds; write the smaller seed first/],
    [["30", "49", "--seeds", "1-5000"], /^balancenuma: .*'1-5000' names more than 1000 seeds/],
    [["30", "49", "--seeds", "1-3,2"], /^balancenuma: .*'1-3,2' names a seed twice/],
  ])("rejects %j with one line and exit code 2", async (args, message) => {
    const r = await cli(["compare", ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });
});
