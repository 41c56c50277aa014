import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { RunReport } from "@balancenuma/workloads";
import { buildMatrix, parseShard, shardCells, type CellResult } from "../src/commands/sweep/matrix.js";
import { cli, smallSweep as sweep } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "balancenuma-sweep-"));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

describe("sweep shards", () => {
  it("partition the matrix exactly: every cell in exactly one shard, for any number of shards", () => {
    const matrix = buildMatrix([0, 1, 2, 3, 4, 49], ["numa01", "numa02"], ["default", "vega"], [1, 2, 3]);
    for (let n = 1; n <= 7; n++) {
      const shards = Array.from({ length: n }, (_, i) => shardCells(matrix, parseShard(`${i + 1}/${n}`)));
      expect(shards.flat().length).toBe(matrix.length);
      expect(new Set(shards.flat()).size).toBe(matrix.length);
    }
  });
});

describe("balancenuma sweep", () => {
  const full = join(root, "full");

  it("runs the matrix in worker threads and writes JSON lines in step/workload/machine/seed order, CSV, plots and the report", async () => {
    const r = await sweep(full);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^sweep: 4 runs, 4 run now and 0 already done, in [\d.]+ s wall with 2 worker threads$/m);
    const lines = read(full, "results.jsonl")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as CellResult<RunReport>);
    expect(lines.map((l) => [l.step, l.seed])).toEqual([
      [0, 1],
      [0, 2],
      [49, 1],
      [49, 2],
    ]);
    expect(lines[0]).toMatchObject({ workload: "remote-memory", machine: "nodes=2,cpus=2,mem=128M", args: { seconds: 0.3, thp: "always" } });
    expect(lines[3].report.step).toBe(49);
    const csv = read(full, "results.csv").split("\n");
    expect(csv[0]).toMatch(/^step,reverted,workload,machine,seed,elapsed,user,system,.*,numa_pages_migrated,/);
    expect(csv[1]).toMatch(/^0,,remote-memory,"nodes=2,cpus=2,mem=128M",1,0\.3,/);
    // Capped at 0.3 s, elapsed is the cap at every step: the headline plot is throughput instead.
    const plots = readdirSync(join(full, "plots"));
    expect(plots).toContain("throughput_gb_s-nodes%3D2%2Ccpus%3D2%2Cmem%3D128M.svg");
    expect(plots.filter((f) => f.startsWith("elapsed-"))).toEqual([]);
    const head = csv[0].split(",");
    const step0 = csv[1].replace(/"[^"]*"/, "m").split(",");
    expect(step0[head.indexOf("numa_pages_migrated")]).toBe("absent");
    expect(Number(step0[head.indexOf("throughput_gb_s")])).toBeGreaterThan(0);
    // Steps 0 and 49 only: a marker at each, no line across the 48 steps between them, the seeds' spread.
    const plot = read(full, "plots/local_percent-nodes%3D2%2Ccpus%3D2%2Cmem%3D128M.svg");
    expect(plot).toMatch(/^<svg [^]*remote-memory[^]*<\/svg>\n$/);
    expect(plot.match(/class="x-tick"/g)).toHaveLength(2);
    expect(plot).not.toMatch(/class="line"/);
    expect(plot).toMatch(/>local_percent \(%\)</);
    expect(readdirSync(join(full, "report")).sort()).toEqual(["index.html", "step-00.html", "step-49.html"]);
    // A step page opens its review with the upstream commit, shown once.
    const page = read(full, "report/step-49.html");
    expect(page.match(/<h3>Upstream<\/h3>/g)).toHaveLength(1);
    expect(page).toMatch(
      /<h3>Upstream<\/h3>[^]*4fc3f1d66b1ef0d7b8dc11f4ff1cc510f78b37d6[^]*<a href="https:\/\/git\.kernel\.org\/torvalds\/c\/4fc3f1d66b1e">[^]*1354875832-9700-50-git-send-email-mgorman@suse\.de[^]*mm\/rmap\.c \+24 -24[^]*<h3>What changes<\/h3>/,
    );
  });

  it("resumes: runs only the cells without a result, and ends with the same files as an uninterrupted sweep", async () => {
    const dir = join(root, "resumed");
    expect((await sweep(dir)).code).toBe(0);
    // A sweep killed after three cells: one cell file missing, derived files not yet written.
    const cells = readdirSync(join(dir, "cells")).sort();
    rmSync(join(dir, "cells", cells[1]));
    for (const f of ["results.jsonl", "results.csv"]) rmSync(join(dir, f));
    const r = await sweep(dir);
    expect(r.out).toMatch(/4 runs, 1 run now and 3 already done/);
    expect(read(dir, "results.jsonl")).toBe(read(full, "results.jsonl"));
    expect(read(dir, "results.csv")).toBe(read(full, "results.csv"));
    expect(read(dir, "report/index.html")).toBe(read(full, "report/index.html"));
  });

  it("splits into shards that merge into exactly the unsharded results; conflicting shards are refused", async () => {
    const [a, b, merged] = ["shard1", "shard2", "merged"].map((d) => join(root, d));
    expect((await sweep(a, "--shard", "1/2")).out).toMatch(/sweep: 2 runs \(shard 1\/2\)/);
    expect((await sweep(b, "--shard", "2/2")).code).toBe(0);
    const m = await cli(["merge", a, b, "--out", merged]);
    expect(m.code).toBe(0);
    expect(m.out).toMatch(/^merged 2 directories: 4 cells into /);
    expect(read(merged, "results.jsonl")).toBe(read(full, "results.jsonl"));
    expect(read(merged, "results.csv")).toBe(read(full, "results.csv"));

    const lines = read(b, "results.jsonl").split("\n");
    lines[0] = lines[0].replace('"elapsedSeconds":0.3', '"elapsedSeconds":0.4');
    writeFileSync(join(b, "results.jsonl"), lines.join("\n"));
    const bad = await cli(["merge", a, b, full, "--out", join(root, "bad")]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^balancenuma: conflicting results for step \d+ remote-memory on nodes=2,cpus=2,mem=128M seed \d in '.*' and '.*'; .*\n$/);
    expect(existsSync(join(root, "bad"))).toBe(false);
  });

  it.each([
    [["--steps", "0-60"], /'0-60' is not a list of steps; use numbers and ranges from 0 to 49/],
    [["--workloads", "numa01,nope"], /no workload 'nope'|'nope'/],
    [["--machines", "nodes=2,cpus=x"], /cpus/],
    [["--shard", "3/2"], /'3\/2' is not a shard; use i\/n with 1 <= i <= n/],
    [["--jobs", "0"], /--jobs: '0' is not a number of worker threads/],
    [["--metrics", "elapsed,bogus"], /--metrics: 'bogus' is not a metric/],
    [["--metrics", "elapse"], /--metrics: 'elapse' is not a metric \(did you mean 'elapsed'\?\)/],
    [["--workloads", "numa2"], /unknown workload 'numa2' \(did you mean 'numa02'\?\)/],
  ])("rejects bad input %j with one line and exit code 2, writing nothing", async (extra, message) => {
    const out = join(root, "never");
    const r = await sweep(out, ...extra);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it("checks each cell's recorded options, not only sweep.json: cells run with other options are neither reused nor merged", async () => {
    // sweep.json lost: the cells still say how they were run.
    const lost = join(root, "lost-manifest");
    cpSync(join(full, "cells"), join(lost, "cells"), { recursive: true });
    const r = await sweep(lost, "--seconds", "0.5");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^balancenuma: '.*lost-manifest\/cells\/step00-remote-memory-.*\.json' was run with --seconds 0\.3 --thp always, not --seconds 0\.5 --thp always; resume with the same options or use another --out\n$/,
    );
    expect(existsSync(join(lost, "sweep.json"))).toBe(false);
    // A sweep.json that disagrees with the results it sits beside.
    const relabelled = join(root, "relabelled");
    cpSync(full, relabelled, { recursive: true });
    const manifest = JSON.parse(read(relabelled, "sweep.json")) as { args: { seconds: number } };
    manifest.args.seconds = 0.5;
    writeFileSync(join(relabelled, "sweep.json"), JSON.stringify(manifest));
    const m = await cli(["merge", relabelled, "--out", join(root, "never-merged")]);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/has step 0 remote-memory on .* seed 1 run with --seconds 0\.3 --thp always, but its sweep.json says --seconds 0\.5 --thp always/);
    expect(existsSync(join(root, "never-merged"))).toBe(false);
  });

  it.each([
    ["{}", /sweep.json' is not a sweep manifest \(steps, workloads, machines, seeds, args\)/],
    ["null", /is not a sweep manifest/],
    ['{"steps":[0],"workloads":["numa02"],"machines":["default"],"seeds":[1],"args":{"thp":"sometimes"}}', /is not a sweep manifest/],
  ])("refuses a sweep directory whose sweep.json is %s, to resume and to merge", async (text, message) => {
    const dir = mkdtempSync(join(root, "manifest-"));
    writeFileSync(join(dir, "sweep.json"), text);
    for (const r of [await sweep(dir), await cli(["merge", dir, "--out", join(dir, "m")])]) {
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split("\n")).toHaveLength(1);
    }
    expect(readdirSync(dir)).toEqual(["sweep.json"]);
  });

  it("builds each kernel without the --revert steps it has, records them per cell, and resumes only with the same ones", async () => {
    const dir = join(root, "ablation");
    const ablation = async (...extra: string[]) =>
      await cli([
        "sweep",
        "--steps",
        "39,49",
        "--workloads",
        "remote-memory",
        "--machines",
        "nodes=2,cpus=2,mem=128M",
        "--seconds",
        "0.3",
        "--sample-every",
        "0.1",
        "--jobs",
        "2",
        "--out",
        dir,
        ...extra,
      ]);
    const r = await ablation("--revert", "two-stage-filter");
    expect([r.code, r.err]).toEqual([0, ""]);
    const lines = read(dir, "results.jsonl")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as CellResult<RunReport>);
    expect(lines.map((l) => [l.step, l.args.revert, l.report.config.reverted])).toEqual([
      [39, [40], []],
      [49, [40], [40]],
    ]);
    expect(lines[1].report.invocation!.commandLine.join(" ")).toMatch(/^balancenuma run --step 49 .* --revert 40 --json$/);
    expect(lines[0].report.invocation!.commandLine).not.toContain("--revert");
    const csv = read(dir, "results.csv").split("\n");
    expect(csv[1]).toMatch(/^39,,remote-memory,/);
    expect(csv[2]).toMatch(/^49,40,remote-memory,/);
    expect(read(dir, "report/index.html")).toContain("--revert 40");
    // Every cell done (with its --sample-every recorded): nothing to run again.
    expect((await ablation("--revert", "40")).out).toMatch(/0 run now and 2 already done/);
    const other = await ablation("--revert", "41");
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/holds a sweep run with --seconds 0.3 --thp always --sample-every 0.1 --revert 40; resume it with the same options/);
    const refused = await cli(["sweep", "--revert", "37", "--out", join(root, "refused")]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^balancenuma: --revert 37 \(at step 49\): step 38 \(thp-split-last-nid\) needs step 37 \(last-nid\): [^\n]*\n$/);
    expect(existsSync(join(root, "refused"))).toBe(false);
  });

  it("refuses an empty --out instead of writing into the current directory", async () => {
    for (const r of [await sweep(""), await cli(["merge", full, "--out", " "])]) {
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^balancenuma: option '--out <dir>' argument '\s*' is invalid\. the name is empty; give a file or directory name\n$/);
    }
  });

  it("refuses to resume a directory swept with other options, and to merge what is not a sweep", async () => {
    const r = await sweep(full, "--seconds", "0.5");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds a sweep run with --seconds 0.3 --thp always; resume it with the same options or use another --out/);
    const m = await cli(["merge", root, "--out", join(root, "m2")]);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/is not a sweep directory \(no sweep.json\)/);
  });
});

const chromium = ["chromium", "chromium-browser"].find((c) => spawnSync(c, ["--version"], { encoding: "utf8" }).status === 0);

describe.skipIf(!chromium)(`the HTML report in headless Chromium${chromium ? "" : " (skipped: no chromium installed; CI installs Debian's chromium)"}`, () => {
  // Each run gets its own profile: a browser already running on the default one would take the page instead.
  const dump = (file: string) =>
    execFileSync(
      chromium!,
      ["--headless", "--disable-gpu", "--no-sandbox", `--user-data-dir=${mkdtempSync(join(root, "chromium-"))}`, "--dump-dom", pathToFileURL(file).href],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: 60_000,
      },
    );

  it("renders the index and a step page from file:// with their plots, and every link resolves", () => {
    const report = join(root, "full", "report");
    const index = dump(join(report, "index.html"));
    expect(index).toMatch(/<title>balancenuma sweep<\/title>/);
    expect(index).toMatch(/<svg [^>]*>[^]*local_percent by step/);
    // The plots as a person sees them: a screenshot of the index that is not blank.
    const png = join(root, "index.png");
    execFileSync(
      chromium!,
      [
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        "--disable-background-networking",
        "--no-first-run",
        `--user-data-dir=${mkdtempSync(join(root, "chromium-"))}`,
        "--window-size=1200,2400",
        `--screenshot=${png}`,
        pathToFileURL(join(report, "index.html")).href,
      ],
      { stdio: "ignore", timeout: 60_000 },
    );
    expect(statSync(png).size).toBeGreaterThan(20_000);
    const step = dump(join(report, "step-49.html"));
    expect(step).toMatch(/<h1>Step 49: rmap-walk-read-lock: mm\/rmap, migration: /);
    expect(step).toMatch(/<h2>Gates<\/h2>[^]*anonVmaLock/);
    // The review part: where the model reads the gate, and the behaviour against the sweep's previous step.
    expect(step).toMatch(/<h2>Code reading the gates<\/h2>[^]*packages\/mm-rmap\/src\/[a-z-]+\.ts:\d+/);
    expect(step).toMatch(/<h2>Behaviour delta from step 0<\/h2>[^]*<th>step 0<\/th><th>this step<\/th>/);
    expect((step.match(/<svg /g) ?? []).length).toBe(4);
    for (const html of [index, step])
      for (const [, href] of html.matchAll(/href="([^"#]+)"/g)) if (!/^https:\/\//.test(href)) expect(existsSync(join(report, href)), href).toBe(true);
  });
});
