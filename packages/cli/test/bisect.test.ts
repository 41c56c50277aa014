import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";
import { evaluate, parsePredicate } from "../src/commands/predicate.js";
import { searchFirstBad, majority, type Verdict } from "../src/commands/bisect-search.js";
import { runJudge } from "../src/commands/judge.js";
import { ABSENT, type MetricValue, type RunReport } from "@balancenuma/workloads";

const SMALL = ["-t", "nodes=2,cpus=2,mem=128M"];

describe("balancenuma bisect", () => {
  it("finds where default-policy tasks start migrating memory (remote-memory): step 32, in 8 runs", async () => {
    const r = await cli(["bisect", ...SMALL, "--seconds", "2", "--json", "numa_pages_migrated > 0"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { firstBad: object; lastGood: number; runs: number; log: { step: number; seeds: { metrics: Record<string, unknown> }[] }[] };
    expect(j.firstBad).toMatchObject({ number: 32, key: "pmd-numa-migrate" });
    expect(j.lastGood).toBe(31);
    expect(j.runs).toBe(8);
    expect(j.log.map((e) => e.step)).toEqual([0, 49, 24, 36, 30, 33, 31, 32]);
    // The counter arrives at step 30: before it the log says so, from it a 0 is a counted 0.
    const migrated = (step: number) => j.log.find((e) => e.step === step)!.seeds[0].metrics.numa_pages_migrated;
    expect([migrated(0), migrated(24), migrated(30), migrated(31)]).toEqual(["absent", "absent", 0, 0]);
  });

  it("finds where migrations of pages shared across nodes drop (specjbb, one JVM over both nodes): step 40", async () => {
    const r = await cli([
      "bisect",
      ...SMALL,
      "-w",
      "specjbb",
      "--seconds",
      "1.5",
      "--thp",
      "never",
      "--good",
      "32",
      "numa_pages_migrated < 0.5x step 39",
      "--",
      "--jvms",
      "1",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^40 is the first bad step$/m);
    expect(r.out).toMatch(/^40 two-stage-filter: mm: numa: Use a two-stage filter/m);
    expect(r.out).toMatch(/numa_pages_migrated: \d+ at step 39 \(good\) -> \d+ at step 40 \(bad\)\n\nWhat the step changes: balancenuma review 40\n$/);
  });

  it("bisects kernels without the --revert steps each has, naming them in the log and the JSON", async () => {
    const r = await cli(["bisect", ...SMALL, "--seconds", "2", "--json", "--revert", "41", "numa_pages_migrated > 0"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { firstBad: { number: number }; revert: number[]; log: { step: number; kernel: string }[] };
    expect(j.revert).toEqual([41]);
    expect(j.firstBad.number).toBe(32);
    expect(j.log.map((e) => e.kernel)).toEqual(["0", "49-41", "24", "36", "30", "33", "31", "32"]);
    const refused = await cli(["bisect", ...SMALL, "--revert", "37", "numa_pages_migrated > 0"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^balancenuma: --revert 37 \(at --bad 49\): step 38 \(thp-split-last-nid\) needs step 37 \(last-nid\): [^\n]*\n$/);
    // Below the step that needs it, the reverted step may go: bisect up to 37.
    expect((await cli(["bisect", ...SMALL, "--bad", "37", "--revert", "37", "--seconds", "0.2", "numa_pages_migrated > 0"])).err).not.toMatch(/needs step 37/);
  });

  it("judges with an external command as git bisect run does (0 good, 1 bad)", async () => {
    const judge = `node -e "const r=JSON.parse(require('fs').readFileSync(0,'utf8'));process.exit(r.step>=7?1:0)"`;
    const r = await cli(["bisect", ...SMALL, "--seconds", "0.2", "--bad", "10", "--run", judge, "--json"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { firstBad: { number: number } }).firstBad.number).toBe(7);
  });

  it("names the workload file it runs in its header and JSON", async () => {
    const args = ["bisect", ...SMALL, "--seconds", "0.2", "--scale", "1/8", "--bad", "2", "-f", "docs/workloads/numa02.yaml"];
    const r = await cli([...args, "numa_pages_migrated > 0"]);
    expect(r.out.split("\n")[0]).toMatch(/; workload file docs\/workloads\/numa02\.yaml on /);
    const j = await cli([...args, "--json", "numa_pages_migrated > 0"]);
    expect(JSON.parse(j.out)).toMatchObject({ workload: null, workloadFile: "docs/workloads/numa02.yaml" });
  });

  it("gives a judge that never reads stdin the report as a file: no EPIPE however large the report", async () => {
    const report = JSON.parse((await cli(["run", "--json", ...SMALL, "--seconds", "0.2"])).out) as RunReport;
    // 1 MB: through a pipe, the write fails with EPIPE once the judge exits without reading.
    const large = { ...report, padding: "x".repeat(1 << 20) };
    let said = "";
    for (const [judge, verdict] of [
      ["exit 0", "good"],
      ["exit 1", "bad"],
      ["wc -c >&2", "good"],
    ] as const)
      expect(runJudge(judge, large, true, (s) => (said += s))).toBe(verdict);
    expect(Number(said.trim())).toBeGreaterThan(1 << 20);
  });

  it("kills a judge that outlives --run-timeout, with everything it started, and counts the step as skipped", async () => {
    const marker = join(mkdtempSync(join(tmpdir(), "bn-judge-")), "still-running");
    const started = Date.now();
    const r = await cli(["bisect", ...SMALL, "--seconds", "0.2", "--bad", "2", "--run", `(sleep 2; touch '${marker}') & wait`, "--run-timeout", "0.5"]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^step {2}0 baseline +skip/m);
    expect(r.err).toMatch(/^balancenuma: the judge ran longer than --run-timeout 0\.5 s at step 0 seed 1: killed, and counted as skip \(125\)$/m);
    expect(r.err).toMatch(/^balancenuma: the --good step 0 was skipped: cannot bisect from it/m);
    await new Promise((done) => setTimeout(done, 2500));
    expect(existsSync(marker)).toBe(false);
  });

  it("exits 1 when the behaviour already holds at --good, with one line on stderr", async () => {
    const r = await cli(["bisect", ...SMALL, "--seconds", "0.2", "--bad", "2", "elapsed > 0"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^balancenuma: the behaviour already holds at --good 0: nothing to bisect[^\n]*\n$/);
  });

  it.each([
    [["numa_pages_migrated >"], /^balancenuma: bad predicate 'numa_pages_migrated >': expected a number at the end/],
    [["system > 1.5x stepx"], /^balancenuma: bad predicate .*expected 'base' or 'step K' after 'x', got 'stepx'/],
    [["system > 1.5x step 77"], /^balancenuma: bad predicate .*'77' is not a step/],
    [["bogus_counter > 0"], /^balancenuma: unknown metric 'bogus_counter'; see 'balancenuma bisect --list-metrics'/],
    [["numa_pages_migrate > 0"], /^balancenuma: unknown metric 'numa_pages_migrate' \(did you mean 'numa_pages_migrated'\?\)/],
    [["pid1.systme > 0"], /^balancenuma: unknown metric 'pid1.systme' \(did you mean 'pid1.system'\?\)/],
    [["system > 1.5x step pmd-numa-migrat"], /'pmd-numa-migrat' is not a step \(did you mean 'pmd-numa-migrate'\?\)/],
    // Checked on a 10 ms run of the workload, before any real run: remote-memory has one process, and no score.
    [
      ["pid2.system > 0"],
      /^balancenuma: 'pid2.system' names no process of remote-memory: its processes are pid 1 \(per-process metrics name a process the workload starts in its first 10 simulated ms\)/,
    ],
    [
      ["-w", "pft", "score.faults_se > 0"],
      /^balancenuma: unknown metric 'score.faults_se' \(did you mean 'score.faults_sec'\?\); pft reports score.clients, score.faults, score.faults_cpu, score.faults_sec/,
    ],
    [["-w", "numa01", "--show", "pid3.user", "elapsed > 0"], /'pid3.user' names no process of numa01: its processes are pid 1, 2/],
    [["--good", "nope", "elapsed > 0"], /^balancenuma: option '--good <n\|key>' argument 'nope' is invalid. 'nope' is not a step/],
    [["--good", "5", "--bad", "3", "elapsed > 0"], /^balancenuma: --good \(5\) must be an earlier step than --bad \(3\)/],
    [[], /^balancenuma: say what to look for/],
    [["--run", ""], /^balancenuma: --run needs a command, e.g. --run '\.\/judge\.sh'/],
    [["--run", " "], /^balancenuma: --run needs a command/],
    [["--run-timeout", "5", "elapsed > 0"], /^balancenuma: --run-timeout limits a --run judge; add --run COMMAND/],
    [["--run", "true", "--run-timeout", "0x5"], /^balancenuma: option '--run-timeout <s>' argument '0x5' is invalid/],
    [["(".repeat(20000) + "elapsed > 0" + ")".repeat(20000)], /^balancenuma: bad predicate .*: parentheses nest more than 32 deep/],
    [[Array(20000).fill("elapsed > 0").join(" and ")], /^balancenuma: bad predicate .*: it has more than 256 comparisons/],
    [["--show", "", "elapsed > 0"], /'' is not a list of metrics/],
  ])("rejects %j with one line and exit code 2", async (args, message) => {
    const r = await cli(["bisect", ...SMALL, ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.out).toBe("");
  });
});

describe("bisect's predicate and search", () => {
  it("reads comparisons joined by and/or, relative to the good end or a step", () => {
    const at: Record<number, number> = { 0: 10, 5: 20 };
    const metric = (_: string, step?: number) => (step === undefined ? 16 : at[step]);
    expect(evaluate(parsePredicate("system > 1.5x base"), 0, metric)).toBe(true);
    expect(evaluate(parsePredicate("system > 1.5xstep5"), 0, metric)).toBe(false);
    expect(evaluate(parsePredicate("system < 0.5 * step 5 or system == 16"), 0, metric)).toBe(true);
    expect(evaluate(parsePredicate("(system > 20 or system < 17) and system != 16"), 0, metric)).toBe(false);
  });

  it("holds no comparison that reads an absent counter or an n/a ratio, on either side", () => {
    const values: Record<number, MetricValue> = { 0: ABSENT, 30: 0, 32: 500, 40: null };
    const metric = (step: number) => (_: string, at?: number) => values[at ?? step];
    for (const p of ["numa_pages_migrated > 0", "numa_pages_migrated == 0", "numa_pages_migrated != 0", "numa_pages_migrated < 1"])
      expect(evaluate(parsePredicate(p), 0, metric(0)), p).toBe(false);
    expect(evaluate(parsePredicate("numa_pages_migrated == 0"), 0, metric(30))).toBe(true);
    expect(evaluate(parsePredicate("numa_pages_migrated < 0.5x step 40"), 0, metric(30))).toBe(false); // n/a reference
    expect(evaluate(parsePredicate("numa_pages_migrated > 2x base"), 0, metric(32))).toBe(false); // absent reference
    expect(evaluate(parsePredicate("numa_pages_migrated > 2x base or numa_pages_migrated > 100"), 0, metric(32))).toBe(true);
  });

  it("searches in log2 steps and sets skipped steps aside, trying a neighbour", () => {
    const tried: number[] = [];
    const judge = (s: number): Verdict => (tried.push(s), s === 24 ? "skip" : s >= 31 ? "bad" : "good");
    expect(searchFirstBad(0, 49, judge)).toMatchObject({ firstBad: 31, lastGood: 30 });
    expect(tried.slice(0, 2)).toEqual([24, 25]);
    expect(searchFirstBad(0, 10, (s) => (s === 6 ? "skip" : s >= 6 ? "bad" : "good"))).toEqual({ lastGood: 5, candidates: [6, 7] });
    expect(majority(["good", "bad", "bad"])).toBe("bad");
    expect(majority(["good", "bad"])).toBe("skip");
  });
});
