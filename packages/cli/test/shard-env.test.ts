import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { SHARD_COUNT_ENV, chooseShard, type Env } from "../src/commands/sweep/shard-env.js";
import { repoRoot, smallSweep as sweep } from "./helpers.js";

const slurm = (id: number, min: number, max: number, extra: Env = {}): Env => ({
  SLURM_ARRAY_TASK_ID: String(id),
  SLURM_ARRAY_TASK_MIN: String(min),
  SLURM_ARRAY_TASK_MAX: String(max),
  SLURM_ARRAY_TASK_COUNT: String(max - min + 1),
  ...extra,
});

describe("the shard from a launcher's environment", () => {
  it("is none without --shard and without a job array", () => {
    expect(chooseShard(undefined, undefined, {})).toBeUndefined();
    expect(chooseShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: "", JOB_COMPLETION_INDEX: " " })).toBeUndefined();
  });

  it("takes a Slurm array task's position in the array, whatever the array's first id", () => {
    expect(chooseShard(undefined, undefined, slurm(0, 0, 3))).toEqual({ shard: { index: 1, count: 4 }, from: "SLURM_ARRAY_TASK_ID=0" });
    expect(chooseShard(undefined, undefined, slurm(4, 1, 4))?.shard).toEqual({ index: 4, count: 4 });
    // Only COUNT (ids from 0, as --array=0-N gives), or only MIN/MAX.
    expect(chooseShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "3" })?.shard).toEqual({ index: 3, count: 3 });
    expect(chooseShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: "12", SLURM_ARRAY_TASK_MIN: "10", SLURM_ARRAY_TASK_MAX: "14" })?.shard).toEqual({
      index: 3,
      count: 5,
    });
    // --array=0-8:2 is tasks 0, 2, 4, 6, 8.
    expect(chooseShard(undefined, undefined, { ...slurm(6, 0, 8), SLURM_ARRAY_TASK_STEP: "2", SLURM_ARRAY_TASK_COUNT: "5" })?.shard).toEqual({
      index: 4,
      count: 5,
    });
  });

  it("shares a Slurm array's tasks out so that they partition the matrix", () => {
    const shards = [1, 2, 3].map((id) => chooseShard(undefined, undefined, slurm(id, 1, 3))!.shard);
    expect(shards).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));
  });

  it("takes a Kubernetes Indexed Job's 0-based index, with the count from --shard-count before BALANCENUMA_SHARD_COUNT", () => {
    expect(chooseShard(undefined, undefined, { JOB_COMPLETION_INDEX: "0", BALANCENUMA_SHARD_COUNT: "8" })).toEqual({
      shard: { index: 1, count: 8 },
      from: "JOB_COMPLETION_INDEX=0",
    });
    expect(chooseShard(undefined, 4, { JOB_COMPLETION_INDEX: "3", BALANCENUMA_SHARD_COUNT: "8" })?.shard).toEqual({ index: 4, count: 4 });
  });

  it("lets --shard win over the environment", () => {
    expect(chooseShard({ index: 2, count: 5 }, undefined, slurm(0, 0, 3))).toEqual({ shard: { index: 2, count: 5 }, from: "--shard" });
    expect(chooseShard({ index: 1, count: 2 }, undefined, { JOB_COMPLETION_INDEX: "x" })?.shard).toEqual({ index: 1, count: 2 });
  });

  it.each([
    [
      "--shard with --shard-count",
      { index: 1, count: 2 },
      2,
      {},
      /--shard-count goes with a shard index from the environment; --shard i\/n already gives the count/,
    ],
    [
      "both launchers",
      undefined,
      undefined,
      { ...slurm(0, 0, 1), JOB_COMPLETION_INDEX: "0", BALANCENUMA_SHARD_COUNT: "2" },
      /SLURM_ARRAY_TASK_ID=0 and JOB_COMPLETION_INDEX=0 are both set/,
    ],
    [
      "a task id that is not a number",
      undefined,
      undefined,
      { SLURM_ARRAY_TASK_ID: "x", SLURM_ARRAY_TASK_COUNT: "2" },
      /SLURM_ARRAY_TASK_ID='x' is not a whole number/,
    ],
    [
      "a task id without the array's size",
      undefined,
      undefined,
      { SLURM_ARRAY_TASK_ID: "3" },
      /SLURM_ARRAY_TASK_ID is set without SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MIN\/MAX/,
    ],
    [
      "an array with gaps",
      undefined,
      undefined,
      { ...slurm(3, 0, 7), SLURM_ARRAY_TASK_COUNT: "3" },
      /SLURM_ARRAY_TASK_COUNT=3 but the array 0-7 spans 8 tasks: it has gaps; submit a range such as --array=0-2/,
    ],
    ["a task outside the array", undefined, undefined, slurm(9, 0, 3), /SLURM_ARRAY_TASK_ID=9 is not a task of the array 0-3/],
    [
      "a count that disagrees with Slurm's",
      undefined,
      3,
      slurm(0, 0, 3),
      /--shard-count says 3 shares but the Slurm array has 4 tasks; drop --shard-count or make them agree/,
    ],
    [
      "an Indexed Job without a count",
      undefined,
      undefined,
      { JOB_COMPLETION_INDEX: "2" },
      /JOB_COMPLETION_INDEX=2 gives the share but not the number of shares; give --shard-count N or set BALANCENUMA_SHARD_COUNT/,
    ],
    [
      "an index beyond the count",
      undefined,
      undefined,
      { JOB_COMPLETION_INDEX: "4", BALANCENUMA_SHARD_COUNT: "4" },
      /JOB_COMPLETION_INDEX=4 is not a share of 4 \(BALANCENUMA_SHARD_COUNT\); indexes run from 0 to 3/,
    ],
    ["a zero count", undefined, undefined, { JOB_COMPLETION_INDEX: "0", BALANCENUMA_SHARD_COUNT: "0" }, /BALANCENUMA_SHARD_COUNT=0 is not a number of shares/],
    [
      "a count without an index",
      undefined,
      undefined,
      { BALANCENUMA_SHARD_COUNT: "4" },
      /BALANCENUMA_SHARD_COUNT is set but no job array gives a shard index .*; give --shard i\/n, or unset BALANCENUMA_SHARD_COUNT/,
    ],
  ])("refuses %s with a usage error", (_, flag, count, env, message) => {
    expect(() => chooseShard(flag, count, env)).toThrow(message);
    try {
      chooseShard(flag, count, env);
    } catch (e) {
      expect((e as Error).name).toBe("UsageError");
      expect((e as Error).message).not.toContain("\n");
    }
  });
});

describe("balancenuma sweep in a job array", () => {
  const root = mkdtempSync(join(tmpdir(), "balancenuma-shard-env-"));
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });
  afterEach(() => vi.unstubAllEnvs());
  const read = (dir: string) => readFileSync(join(dir, "results.jsonl"), "utf8");

  it("runs the share its Slurm array task or Indexed Job pod names, the same cells --shard names", async () => {
    const flag = join(root, "flag");
    expect((await sweep(flag, "--shard", "2/2")).code).toBe(0);
    vi.stubEnv("SLURM_ARRAY_TASK_ID", "1");
    vi.stubEnv("SLURM_ARRAY_TASK_MIN", "0");
    vi.stubEnv("SLURM_ARRAY_TASK_MAX", "1");
    vi.stubEnv("SLURM_ARRAY_TASK_COUNT", "2");
    const s = await sweep(join(root, "slurm"));
    expect(s.out).toMatch(/^sweep: 2 runs \(shard 2\/2 from SLURM_ARRAY_TASK_ID=1\), 2 run now/);
    expect(read(join(root, "slurm"))).toBe(read(flag));
    vi.unstubAllEnvs();
    vi.stubEnv("JOB_COMPLETION_INDEX", "1");
    const k = await sweep(join(root, "k8s"), "--shard-count", "2");
    expect(k.out).toMatch(/^sweep: 2 runs \(shard 2\/2 from JOB_COMPLETION_INDEX=1\), 2 run now/);
    expect(read(join(root, "k8s"))).toBe(read(flag));
  });

  it("refuses an inconsistent environment with one line and exit code 2, writing nothing", async () => {
    vi.stubEnv("JOB_COMPLETION_INDEX", "5");
    vi.stubEnv("BALANCENUMA_SHARD_COUNT", "4");
    const out = join(root, "never");
    const r = await sweep(out);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "balancenuma: JOB_COMPLETION_INDEX=5 is not a share of 4 (BALANCENUMA_SHARD_COUNT); indexes run from 0 to 3, so set BALANCENUMA_SHARD_COUNT to the Job's completions\n",
    );
    expect(existsSync(out)).toBe(false);
    const c = await sweep(out, "--shard-count", "0");
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/^balancenuma: option '--shard-count <n>' argument '0' is invalid\. '0' is not a number of shares; use a whole number from 1\n$/);
  });
});

describe("the job scripts in docs/sweep.md", () => {
  const doc = readFileSync(join(repoRoot, "docs", "sweep.md"), "utf8");
  const block = (lang: string, marker: string) =>
    [...doc.matchAll(new RegExp("```" + lang + "\\n([^]*?)```", "g"))].map((m) => m[1]).find((b) => b.includes(marker))!;

  it("include an sbatch array script that bash accepts and that shards by the array, not by --shard", () => {
    const script = block("sh", "#SBATCH --array=0-7");
    expect(spawnSync("bash", ["-n"], { input: script }).status).toBe(0);
    expect(script).toMatch(/^balancenuma sweep /m);
    expect(script).not.toMatch(/--shard/);
  });

  it("include an Indexed Job manifest whose share count is its completions", () => {
    const manifest = block("yaml", "completionMode: Indexed");
    const completions = /^ {2}completions: (\d+)$/m.exec(manifest)?.[1];
    expect(completions).toBeDefined();
    expect(manifest).toContain(`- name: ${SHARD_COUNT_ENV}\n              value: "${completions}"`);
    expect(manifest).toMatch(/balancenuma sweep .*--out \/results\/shard-\$JOB_COMPLETION_INDEX/);
  });
});
