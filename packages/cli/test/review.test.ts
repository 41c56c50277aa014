import { lstatSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";
import { deltaRuns, runSettings } from "../src/commands/review.js";
import { REVIEW_DEFAULTS, STANDARD_WORKLOADS } from "../src/commands/review-defaults.js";

describe("balancenuma review", () => {
  it("shows a step's upstream commit first, then its changelog, gates, the code reading them, the behaviour delta and its tests", async () => {
    const r = await cli(["review", "two-stage-filter", "--workloads", "remote-memory", "--seconds", "2"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# Step 40 two-stage-filter: mm: numa: Use a two-stage filter/);
    // The upstream facts come before everything else, once (PATCH.md's own copy is not repeated).
    const sections = r.out.match(/^## .*/gm)!;
    expect(sections.slice(0, 2)).toEqual(["## Upstream", "## Changelog"]);
    expect(r.out.match(/^#+ Upstream$/gm)).toHaveLength(1);
    expect(r.out).toMatch(/^- Commit: e42c8ff2999de1239a57d434bfbd8e9f2a56e814 \(https:\/\/git\.kernel\.org\/torvalds\/c\/e42c8ff2999d\)$/m);
    expect(r.out).toMatch(/^- Posted: Fri, 7 Dec 2012 10:23:42 \+0000, Message-Id `<1354875832-9700-40-git-send-email-mgorman@suse\.de>`/m);
    expect(r.out).toMatch(/^- Files, as counted in the v10 mail: 1 file changed, 29 insertions\(\+\), 1 deletion\(-\)\n {2}- mm\/mempolicy\.c \+29 -1$/m);
    expect(r.out).toMatch(/^## Changelog\n\nFrom series\/40-two-stage-filter\/PATCH\.md:\n\nAuthor: Mel Gorman/m);
    expect(r.out).toMatch(/^Runs: machine default \(2 nodes, 8 CPUs, 4096 MiB\), 2 simulated seconds, THP always, seed 1; '\*' marks what changed$/m);
    expect(r.out).toMatch(/^- twoStageFilter: false -> true$/m);
    expect(r.out).toMatch(/^packages\/mm-mempolicy\/src\/misplaced\.ts:\d+\n```ts\n(?: +\d+ .*\n){3}> +\d+ +if \(k\.features\.twoStageFilter\)/m);
    expect(r.out).toMatch(/^## Behaviour delta: step 39 -> 40/m);
    // The changelog's claims were made on 4 s runs, not on these.
    expect(r.out).not.toMatch(/claims on this run/);
    expect(r.out).toMatch(/^\* numa_hint_faults +\d+ +\d+$/m);
    expect(r.out).toMatch(/^[ *] numa_pages_migrated +\d+ +\d+$/m);
    expect(r.out).toMatch(/^- faults alternating between the nodes never migrate at 40$/m);
    expect(r.out).toMatch(/^- series\/test\/numa-balancing\.test\.ts: two-stage filter/m);
  });

  it("checks the changelog's claims made on a delta run under its table: each holds, with the values the run showed", async () => {
    const r = await cli(["review", "40", "--workloads", "remote-memory"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^### remote-memory\n[^#]*^The changelog's claims on this run:\n- numa_pages_migrated up: holds \(\d+ -> \d+\)\n- numa_pte_updates up: holds \(\d+ -> \d+\)$/m,
    );
  });

  it("says which machine, duration, THP mode and seed the delta ran with", async () => {
    expect(runSettings({ topology: "nodes=2,cpus=2,mem=128M", seconds: 3, thp: "always", seed: 7 })).toBe(
      "Runs: machine nodes=2,cpus=2,mem=128M (2 nodes, 4 CPUs, 256 MiB), 3 simulated seconds, THP always, seed 7",
    );
    const r = await cli(["review", "30", "--workloads", "remote-memory", "-t", "nodes=2,cpus=2,mem=128M", "--seconds", "1", "--thp", "madvise", "--seed", "3"]);
    expect(r.out).toContain("Runs: machine nodes=2,cpus=2,mem=128M (2 nodes, 4 CPUs, 256 MiB), 1 simulated seconds, THP madvise, seed 3");
    // Step 30 adds the NUMA counters: before it they are absent, not 0; a ratio of no faults is n/a.
    expect(r.out).toMatch(/^\* numa_pages_migrated +absent +0$/m);
    expect(r.out).toMatch(/^\* migrated_per_hint_fault +absent +n\/a$/m);
  });

  it("by default runs long enough on a big enough machine that the NUMA scanner works in every standard workload", () => {
    // The counters exist from step 30 (where the 1 s slow start already applies); by step 49 the scanner
    // also slows down when faults do not migrate (41) and waits for a second node (44).
    for (const w of STANDARD_WORKLOADS) {
      const runs = deltaRuns(w, REVIEW_DEFAULTS);
      for (const step of [30, 49]) {
        const report = runs.report(step, REVIEW_DEFAULTS.seed);
        // Still running when the run ends: the scanner is at work for the whole run, not just its start.
        expect(report.elapsedSeconds, `${w} at step ${step} ended early`).toBe(REVIEW_DEFAULTS.seconds);
        const vmstat = report.vmstatDelta;
        expect(vmstat.numa_pte_updates, `${w} at step ${step}`).toBeGreaterThan(0);
        expect(vmstat.numa_hint_faults, `${w} at step ${step}`).toBeGreaterThan(0);
      }
    }
  }, 240_000);

  it("--all --no-runs reviews all 49 steps into a file, written whole", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bn-review-"));
    const file = join(dir, "series.md");
    expect((await cli(["review", "--all", "--no-runs", "-o", file])).code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text.match(/^# Step \d+ /gm)).toHaveLength(49);
    expect(text).not.toMatch(/Behaviour delta/);
    expect(readdirSync(dir)).toEqual(["series.md"]);
  });

  it("checks -o before the runs, and writes through a symlink, which stays a link", async () => {
    const r = await cli(["review", "40", "--seconds", "36000", "-o", "/proc/review.md"]);
    expect([r.code, r.err]).toEqual([2, "balancenuma: -o: cannot write '/proc/review.md': ENOENT\n"]);
    const dir = mkdtempSync(join(tmpdir(), "bn-review-"));
    symlinkSync(join(dir, "target.md"), join(dir, "link.md"));
    expect((await cli(["review", "40", "--no-runs", "-o", join(dir, "link.md")])).code).toBe(0);
    expect(lstatSync(join(dir, "link.md")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "target.md"), "utf8")).toMatch(/^# Step 40 two-stage-filter/);
  });

  it.each([
    [["0"], /^balancenuma: step 0 is the baseline/],
    [["50"], /^balancenuma: '50' is not a step; use a number from 1 to 49/],
    [["no-such-key"], /^balancenuma: 'no-such-key' is not a step/],
    [[], /^balancenuma: say which step to review/],
    [["3", "--workloads", "nope"], /^balancenuma: unknown workload 'nope'/],
  ])("rejects %j with one line and exit code 2", async (args, message) => {
    const r = await cli(["review", ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });
});
