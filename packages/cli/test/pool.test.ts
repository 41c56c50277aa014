import { describe, expect, it } from "vitest";
import { runPool } from "../src/commands/sweep/pool.js";
import { CellThreads } from "../src/commands/sweep/cell-threads.js";
import { BlockingChannel } from "../src/commands/sweep/blocking-channel.js";
import { Worker } from "node:worker_threads";
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

describe("the queue worker's cell threads", () => {
  it("answer each job on a thread and reject a job whose thread dies with the reason", async () => {
    const threads = new CellThreads(dying, []);
    try {
      await expect(Promise.all([threads.run(job(1)), threads.run(job(4))])).resolves.toEqual([
        { cell: job(1).cell, line: "seed 1" },
        { cell: job(4).cell, line: "seed 4" },
      ]);
      await expect(threads.run(job(2))).rejects.toThrow("its worker thread died (exit code 7)");
      await expect(threads.run(job(3))).rejects.toThrow("its worker thread died (boom)");
      // The threads left still answer.
      await expect(threads.run(job(5))).resolves.toEqual({ cell: job(5).cell, line: "seed 5" });
    } finally {
      await threads.close();
    }
  });
});

describe("the blocking channel", () => {
  it("hands a sleeping thread another thread's messages in order, and gives up after its timeout", () => {
    const channel = new BlockingChannel();
    const sender = channel.sender;
    // The sender's steps as postAndWake takes them, from a thread that needs no loader.
    const thread = new Worker(
      `const { workerData: { port, signal } } = require("node:worker_threads");
       for (let i = 1; i <= 3; i++) setTimeout(() => { port.postMessage(i); Atomics.add(signal, 0, 1); Atomics.notify(signal, 0); }, 20 * i);`,
      { eval: true, workerData: sender, transferList: [sender.port] },
    );
    try {
      const got: unknown[] = [];
      expect(channel.receive((m) => got.push(m) < 3)).toBe(true);
      expect(got).toEqual([1, 2, 3]);
      const before = Date.now();
      expect(channel.receive(() => true, 300)).toBe(false);
      expect(Date.now() - before).toBeGreaterThanOrEqual(290);
    } finally {
      channel.close();
      void thread.terminate();
    }
  });
});
