import { lstatSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

describe("balancenuma review", () => {
  it("shows a step's changelog, gates, the code reading them, the behaviour delta and its tests", () => {
    const r = cli(["review", "two-stage-filter", "--workloads", "remote-memory", "--seconds", "2"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# Step 40 two-stage-filter: mm: numa: Use a two-stage filter/);
    expect(r.out).toMatch(/^## Changelog\n\n## 40 two-stage-filter/m);
    expect(r.out).toMatch(/^- twoStageFilter: false -> true$/m);
    expect(r.out).toMatch(/^packages\/mm-mempolicy\/src\/misplaced\.ts:\d+\n```ts\n(?: +\d+ .*\n){3}> +\d+ +if \(k\.features\.twoStageFilter\)/m);
    expect(r.out).toMatch(/^## Behaviour delta: step 39 -> 40/m);
    expect(r.out).toMatch(/^\* numa_hint_faults +\d+ +\d+$/m);
    expect(r.out).toMatch(/^ {2}numa_pages_migrated +8192 +8192$/m);
    expect(r.out).toMatch(/^- faults alternating between the nodes never migrate at 40$/m);
    expect(r.out).toMatch(/^- packages\/mm-mempolicy\/src\/numa-balancing\.test\.ts: two-stage filter/m);
  });

  it("--all --no-runs reviews all 49 steps into a file, written whole", () => {
    const dir = mkdtempSync(join(tmpdir(), "bn-review-"));
    const file = join(dir, "series.md");
    expect(cli(["review", "--all", "--no-runs", "-o", file]).code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text.match(/^# Step \d+ /gm)).toHaveLength(49);
    expect(text).not.toMatch(/Behaviour delta/);
    expect(readdirSync(dir)).toEqual(["series.md"]);
  });

  it("checks -o before the runs, and writes through a symlink, which stays a link", () => {
    const r = cli(["review", "40", "--seconds", "36000", "-o", "/proc/review.md"]);
    expect([r.code, r.err]).toEqual([2, "balancenuma: -o: cannot write '/proc/review.md': ENOENT\n"]);
    const dir = mkdtempSync(join(tmpdir(), "bn-review-"));
    symlinkSync(join(dir, "target.md"), join(dir, "link.md"));
    expect(cli(["review", "40", "--no-runs", "-o", join(dir, "link.md")]).code).toBe(0);
    expect(lstatSync(join(dir, "link.md")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "target.md"), "utf8")).toMatch(/^# Step 40 two-stage-filter/);
  });

  it.each([
    [["0"], /^balancenuma: step 0 is the baseline/],
    [["50"], /^balancenuma: '50' is not a step; use a number from 1 to 49/],
    [["no-such-key"], /^balancenuma: 'no-such-key' is not a step/],
    [[], /^balancenuma: say which step to review/],
    [["3", "--workloads", "nope"], /^balancenuma: unknown workload 'nope'/],
  ])("rejects %j with one line and exit code 2", (args, message) => {
    const r = cli(["review", ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });
});
