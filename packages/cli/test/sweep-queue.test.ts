/**
 * Queue mode: `sweep --queue` and `worker --queue` against a real redis-server, started here on the
 * loopback address with its files in a temporary directory. The CLI runs in separate processes, as
 * it would on separate machines.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cellJobId, parseQueueUrl, showQueueUrl } from "../src/commands/sweep/queue.js";
import { BIN, cli, repoRoot } from "./helpers.js";

const SMALL = "nodes=2,cpus=2,mem=128M";
const MATRIX = ["--steps", "0,49", "--workloads", "remote-memory", "--machines", SMALL, "--seeds", "1,2", "--seconds", "0.5"];
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

describe("queue URLs and job ids", () => {
  it("accept redis:// and rediss:// URLs and refuse others; messages hide the password", () => {
    for (const ok of ["redis://127.0.0.1:6379/0", "redis://localhost", "rediss://user:pw@redis.example:6380/3"]) expect(parseQueueUrl(ok)).toBe(ok);
    for (const bad of ["127.0.0.1:6379", "http://host:6379", "redis://", "redis://host:6379/db1", "redis://host:99999", "redis://host/0?x=1"])
      expect(() => parseQueueUrl(bad), bad).toThrow(/is not a Redis URL; use redis:\/\/HOST:PORT\/N/);
    expect(showQueueUrl("redis://user:secret@host:6379/2")).toBe("redis://user:***@host:6379/2");
  });

  it("name a job by its cell and run options: the same cell is the same job, any other cell or option another", () => {
    const cell = { step: 49, workload: "numa02", machine: SMALL, seed: 1 };
    const id = cellJobId(cell, { thp: "always", seconds: 2 });
    expect(id).toBe(cellJobId({ ...cell }, { thp: "always", seconds: 2 }));
    expect(id).not.toContain(":");
    const others = [
      cellJobId({ ...cell, step: 48 }, { thp: "always", seconds: 2 }),
      cellJobId({ ...cell, seed: 2 }, { thp: "always", seconds: 2 }),
      cellJobId({ ...cell, machine: "default" }, { thp: "always", seconds: 2 }),
      cellJobId(cell, { thp: "never", seconds: 2 }),
      cellJobId(cell, { thp: "always" }),
      cellJobId(cell, { thp: "always", seconds: 2, scale: 0.5 }),
    ];
    expect(new Set([id, ...others]).size).toBe(7);
  });
});

describe("queue mode without a usable Redis", () => {
  const root = mkdtempSync(join(tmpdir(), "balancenuma-queue-usage-"));
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it.each([
    [
      ["sweep", ...MATRIX, "--queue", "http://127.0.0.1:6379"],
      /^balancenuma: option '--queue <url>' argument 'http:\/\/127\.0\.0\.1:6379' is invalid\. .* is not a Redis URL; use redis:\/\/HOST:PORT\/N/,
    ],
    [
      ["sweep", ...MATRIX, "--queue", "redis://127.0.0.1:6379", "--jobs", "2"],
      /^balancenuma: --jobs sets local worker threads, and with --queue the workers run the cells; give each worker its --concurrency instead$/,
    ],
    [["worker"], /^balancenuma: required option '--queue <url>' not specified$/],
    [
      ["worker", "--queue", "redis://127.0.0.1:6379", "--concurrency", "0"],
      /^balancenuma: --concurrency: '0' is not a number of worker threads; use 1 to 256$/,
    ],
    [["worker", "--queue", "redis://127.0.0.1:6379", "--lock-seconds", "0.5"], /'0\.5' is not a lock time; use whole seconds from 1 to 3600$/],
  ])("refuses %j with one line and exit code 2", async (args, message) => {
    const r = await cli([...args, ...(args[0] === "sweep" ? ["--out", join(root, "never")] : [])]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(root, "never"))).toBe(false);
  });

  it("says in one line, exit code 2, that Redis cannot be reached, with the URL and what to do; the sweep writes nothing", async () => {
    const url = `redis://127.0.0.1:${await freePort()}/0`;
    const fix = "start redis-server there, or give --queue the redis://HOST:PORT/N of a running one";
    const s = await cli(["sweep", ...MATRIX, "--queue", url, "--out", join(root, "never")]);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(new RegExp(`^balancenuma: cannot use Redis at ${url.replace(/[./]/g, "\\$&")} \\(connect ECONNREFUSED [^)]*\\); ${fix}\\n$`));
    expect(existsSync(join(root, "never"))).toBe(false);
    const w = await cli(["worker", "--queue", url]);
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/^balancenuma: cannot use Redis at redis:\/\/127\.0\.0\.1:\d+\/0 \(connect ECONNREFUSED .*\n$/);
  });
});

const redisServer = spawnSync("redis-server", ["--version"], { encoding: "utf8" }).status === 0;

describe.skipIf(!redisServer)(
  `balancenuma sweep --queue with worker processes${redisServer ? "" : " (skipped: redis-server is not installed; apt-get install -y redis-server, as .ci/run does)"}`,
  () => {
    const root = mkdtempSync(join(tmpdir(), "balancenuma-queue-"));
    let redis: ChildProcess;
    let url = "";
    let queue: Queue;
    let events: QueueEvents;
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      const port = await freePort();
      redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", root, "--save", "", "--appendonly", "no"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      await new Promise<void>((resolve, reject) => {
        let log = "";
        redis.stdout!.on("data", (d: Buffer) => {
          log += d.toString();
          if (log.includes("Ready to accept connections")) resolve();
        });
        redis.on("exit", (code) => {
          reject(new Error(`redis-server exited with ${code}: ${log}`));
        });
      });
      url = `redis://127.0.0.1:${port}/0`;
      const connection = { url, maxRetriesPerRequest: null };
      queue = new Queue("balancenuma-sweep", { connection });
      events = new QueueEvents("balancenuma-sweep", { connection });
      await events.waitUntilReady();
    });

    // Workers run until stopped: stop every process a test started, so the next test has the queue to itself.
    afterEach(async () => {
      const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
      await Promise.all(running.map((c) => new Promise((resolve) => c.on("exit", resolve).kill("SIGTERM"))));
      children.length = 0;
    });

    afterAll(async () => {
      await events?.close();
      await queue?.close();
      redis?.kill("SIGTERM");
      rmSync(root, { recursive: true, force: true });
    });

    /** The CLI in a process of its own, as on another machine. */
    const start = (args: string[]) => {
      const child = spawn(BIN[0], [...BIN.slice(1), ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
      children.push(child);
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
        child.on("exit", (code) => {
          resolve({ code, out, err });
        }),
      );
      return { child, exited, name: `${hostname()}:${child.pid}` };
    };
    const worker = () => start(["worker", "--queue", url, "--concurrency", "1", "--lock-seconds", "1"]);
    const heard = (event: "duplicated" | "stalled") => {
      const ids = new Set<string>();
      events.on(event, ({ jobId }: { jobId: string }) => ids.add(jobId));
      return ids;
    };

    /** Wait until a live worker holds a cell, kill it (SIGKILL, as a machine lost) and return the cell's job id. */
    const killHolder = async (workers: ReturnType<typeof worker>[], what: string) => {
      let holder: ReturnType<typeof worker> | undefined;
      let id = "";
      await until(async () => {
        const job = (await queue.getActive()).find((j) =>
          workers.some((w) => w.name === j.processedBy && w.child.exitCode === null && w.child.signalCode === null),
        );
        holder = workers.find((w) => w.name === job?.processedBy);
        id = job?.id ?? "";
        return holder !== undefined;
      }, what);
      holder!.child.kill("SIGKILL");
      await holder!.exited;
      return id;
    };

    // Processes start in seconds each on a loaded machine: these tests get more than the default minute.
    it(
      "collects every cell, with a worker killed mid-cell and the sweep itself restarted, into results byte-identical to a local sweep's",
      { timeout: 180_000 },
      async () => {
        const dir = join(root, "queued");
        // A sweep killed after queueing its cells: they wait in Redis for workers.
        const first = start(["sweep", ...MATRIX, "--queue", url, "--out", dir]);
        const local = join(root, "local");
        expect((await cli(["sweep", ...MATRIX, "--jobs", "2", "--out", local])).code).toBe(0);
        await until(async () => (await queue.getWaitingCount()) === 4, "the first sweep to queue its 4 cells");
        first.child.kill("SIGKILL");
        await first.exited;

        // Run again, it queues the same jobs (nothing is added twice) and collects them from two
        // workers, one of which is killed while it runs a cell: the cell goes back to the queue.
        const duplicated = heard("duplicated");
        const stalled = heard("stalled");
        const sweep = start(["sweep", ...MATRIX, "--queue", url, "--out", dir]);
        const workers = [worker(), worker()];
        const victim = await killHolder(workers, "a worker to take a cell");
        const r = await sweep.exited;
        expect(r.err).toBe("");
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/^sweep: 4 runs, 4 run now and 0 already done, in [\d.]+ s wall on the workers of redis:\/\/127\.0\.0\.1:\d+\/0$/m);
        expect(stalled).toContain(victim);
        await until(() => duplicated.size === 4, "the second sweep's 4 cells to be seen as queued already");
        for (const f of ["results.jsonl", "results.csv", "report/index.html"]) expect(read(dir, f), f).toBe(read(local, f));
        // Every job was removed once its cell was saved.
        expect(Object.values(await queue.getJobCounts()).every((n) => n === 0)).toBe(true);
        expect(workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null)).toHaveLength(1);

        // What another program puts on the queue is answered with an error, not run.
        const foreign = await queue.add("cell", { hello: "world" }, { jobId: "not-a-cell" });
        await expect(foreign.waitUntilFinished(events)).resolves.toEqual({
          cell: null,
          error: "job 'not-a-cell' is not a sweep cell; was it queued by another program?",
          usage: false,
        });
        await foreign.remove();
      },
    );

    it("reports a cell whose worker dies every time as failed after a bounded number of tries, and ends with exit code 1", { timeout: 180_000 }, async () => {
      const dir = join(root, "failing");
      const cell = { step: 0, workload: "remote-memory", machine: SMALL, seed: 3 };
      const sweep = start(["sweep", ...MATRIX, "--seeds", "3", "--steps", "0", "--queue", url, "--out", dir]);
      // Four workers ready to take it; each one that takes it is killed. After the third kill the
      // cell has stalled more than MAX_STALLED (2) times, and the next worker fails it.
      const workers = [worker(), worker(), worker(), worker()];
      for (let kill = 1; kill <= 3; kill++) await killHolder(workers, `a worker to take the cell (time ${kill})`);
      const r = await sweep.exited;
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        `balancenuma: 1 of 1 runs failed and have no results (rerun the same command to retry them): step 0 remote-memory on ${SMALL} seed 3: failed on the queue: its worker stopped while running it 3 times (job stalled more than allowable limit)\n`,
      );
      expect(existsSync(join(dir, "results.jsonl"))).toBe(true);
      expect(read(dir, "results.jsonl")).toBe("");
      expect(await queue.getJob(cellJobId(cell, { thp: "always", seconds: 0.5 }))).toBeUndefined();
    });
  },
);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Poll `condition` every 50 ms until it holds; fail after 60 s naming what was awaited. */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 50) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
