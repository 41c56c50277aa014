import { describe, expect, it } from "vitest";
import { runPool } from "../src/commands/sweep/pool.js";
import type { Job, Reply } from "../src/commands/sweep/worker.js";

const job = (seed: number): Job => ({ cell: { step: 0, workload: "w", machine: "m", seed }, args: { thp: "never" } });
const dying = new URL("./fixtures/dying-worker.mjs", import.meta.url);

describe("the sweep's worker pool", () => {
  it("answers a job whose worker thread dies with an error, and runs the rest on a new thread", () => {
    const replies: Reply[] = [];
    runPool([1, 2, 3, 4, 5, 6].map(job), 2, (r) => (replies.push(r), true), dying);
    const bySeed = new Map(replies.map((r) => [r.cell!.seed, "line" in r ? r.line : r.error]));
    expect(replies).toHaveLength(6);
    expect(bySeed.get(2)).toBe("its worker thread died (exit code 7)");
    expect(bySeed.get(3)).toBe("its worker thread died (boom)");
    for (const seed of [1, 4, 5, 6]) expect(bySeed.get(seed)).toBe(`seed ${seed}`);
  });

  it("stops when the caller says so", () => {
    const replies: Reply[] = [];
    runPool([1, 4, 5, 6].map(job), 1, (r) => replies.push(r) < 2, dying);
    expect(replies).toHaveLength(2);
  });
});
