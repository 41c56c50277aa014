/**
 * The queue thread: BullMQ needs an event loop, and the command's thread sleeps in a BlockingChannel
 * (the CLI's commands are synchronous), so the queue work happens here and reaches the command as
 * messages. Role "sweep" enqueues the cells and forwards each cell's reply; role "worker" takes
 * cells from the queue and runs them on sweep worker threads, as a local sweep does.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Queue, QueueEvents, Worker, type ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import { postAndWake, type ChannelSender } from "./blocking-channel.js";
import { CellThreads } from "./cell-threads.js";
import { describeCell } from "./matrix.js";
import { SWEEP_WORKER, THREAD_EXEC_ARGV } from "./pool.js";
import { JOB_ATTEMPTS, MAX_STALLED, QUEUE_NAME, cellJobId, showQueueUrl, type QueueMessage, type QueueThreadData, type SweepCommand } from "./queue.js";
import { isCell, isCellArgs } from "./store.js";
import type { Job, Reply } from "./worker.js";

const data = workerData as QueueThreadData & { channel: ChannelSender };
const send = (m: QueueMessage) => {
  postAndWake(data.channel, m);
};
const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

class Unreachable extends Error {}

/**
 * Fail at once, with the URL and a way out, when Redis cannot be reached or used: BullMQ's own
 * connections retry forever (right for a Redis that restarts under a running sweep, not for a typo).
 */
async function checkReachable(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 10_000 });
  // The socket's error (ECONNREFUSED, ENOTFOUND) says more than the rejection ("Connection is closed").
  let socketError: unknown;
  probe.on("error", (e) => (socketError ??= e));
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    throw new Unreachable(
      `cannot use Redis at ${showQueueUrl(url)} (${reason(socketError ?? e)}); start redis-server there, or give --queue the redis://HOST:PORT/N of a running one`,
    );
  } finally {
    probe.disconnect();
  }
}

/** BullMQ's connections: retried forever, commands waiting while Redis is away (what a Worker needs). */
const connectionTo = (url: string): ConnectionOptions => ({ url, maxRetriesPerRequest: null });

/** BullMQ's reason for a job that lost its worker once too often, in the sweep's terms. */
const explain = (failedReason: string) =>
  failedReason === "job stalled more than allowable limit" ? `its worker stopped while running it ${MAX_STALLED + 1} times (${failedReason})` : failedReason;

const isJob = (v: unknown): v is Job => typeof v === "object" && v !== null && isCell((v as Job).cell) && isCellArgs((v as Job).args);

/**
 * Connect, then on command enqueue cells (an existing job of the same id is left as it is) and
 * forward each one's reply; remove a job once the command has recorded its reply.
 */
async function enqueueAndCollect(url: string): Promise<void> {
  const connection = connectionTo(url);
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  // Errors while Redis is away are retried by the connections; what fails for good rejects a call below.
  queue.on("error", () => {});
  events.on("error", () => {});
  // waitUntilFinished listens for the queue closing, once per job waited on.
  queue.setMaxListeners(0);
  // Listen before adding, so that no job's end goes unseen (waitUntilFinished also checks jobs that ended before).
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  let closing = false;
  const removals: Promise<unknown>[] = [];
  const enqueue = async (jobs: Job[]) => {
    const added = await queue.addBulk(jobs.map((job) => ({ name: "cell", data: job, opts: { jobId: cellJobId(job.cell, job.args), attempts: JOB_ATTEMPTS } })));
    added.forEach((bullJob, i) => {
      const { cell } = jobs[i];
      const forward = (reply: Reply) => {
        if (!closing) send({ kind: "reply", id: bullJob.id!, reply });
      };
      bullJob.waitUntilFinished(events).then(forward, (e: unknown) => {
        forward({ cell, error: `failed on the queue: ${explain(reason(e))}`, usage: false });
      });
    });
  };
  parentPort!.on("message", (c: SweepCommand) => {
    if (c.kind === "enqueue")
      enqueue(c.jobs).catch((e: unknown) => {
        send({ kind: "fatal", error: `cannot queue the cells on ${showQueueUrl(url)}: ${reason(e)}`, usage: false });
      });
    else if (c.kind === "collected") removals.push(queue.remove(c.id).catch(() => 0));
    else if (!closing) {
      closing = true;
      void Promise.allSettled(removals)
        .then(() => Promise.allSettled([events.close(), queue.close()]))
        .then(() => {
          send({ kind: "closed" });
        });
    }
  });
  send({ kind: "ready" });
}

/** Take cells from the queue and run each on a sweep worker thread; a thread's death fails the attempt, so BullMQ retries the cell. */
async function serve(d: Extract<QueueThreadData, { role: "worker" }>): Promise<void> {
  const threads = new CellThreads(SWEEP_WORKER, THREAD_EXEC_ARGV);
  const lock = d.lockSeconds * 1000;
  const worker = new Worker(
    QUEUE_NAME,
    async (job): Promise<Reply> =>
      isJob(job.data) ? threads.run(job.data) : { cell: null, error: `job '${job.id}' is not a sweep cell; was it queued by another program?`, usage: false },
    // The lock is renewed every half of it; another worker's stalled check (as often as the lock lasts)
    // takes the cells of a worker that stopped renewing back to the queue.
    { connection: connectionTo(d.url), concurrency: d.concurrency, lockDuration: lock, stalledInterval: lock, maxStalledCount: MAX_STALLED, name: d.name },
  );
  const cellOf = (data: unknown) => (isJob(data) ? describeCell(data.cell) : "a job");
  let lastError = "";
  worker.on("error", (e) => {
    // Repeats while Redis is away; say it once.
    if (reason(e) !== lastError) send({ kind: "log", line: `queue error: ${(lastError = reason(e))}` });
  });
  worker.on("completed", (job, reply: Reply) => {
    lastError = "";
    if ("error" in reply) send({ kind: "log", line: `${cellOf(job.data)}: ${reply.error}` });
    else if (d.log) send({ kind: "log", line: `${cellOf(job.data)}: done in ${((job.finishedOn! - job.processedOn!) / 1000).toFixed(1)} s` });
  });
  worker.on("failed", (job, e) => {
    send({ kind: "log", line: `${job ? cellOf(job.data) : "a job"}: ${explain(reason(e))}` });
  });
  await worker.waitUntilReady();
  send({
    kind: "log",
    line: `worker ${d.name}: running cells from ${showQueueUrl(d.url)} (queue ${QUEUE_NAME}) on ${d.concurrency} thread${d.concurrency === 1 ? "" : "s"}`,
  });
}

// Whatever goes wrong reaches the command as one message: a thread's uncaught error would otherwise go unseen by a thread that sleeps.
process.on("uncaughtException", (e) => {
  send({ kind: "fatal", error: `internal error in the queue thread: ${reason(e)}`, usage: false });
});
process.on("unhandledRejection", (e) => {
  send({ kind: "fatal", error: `internal error in the queue thread: ${reason(e)}`, usage: false });
});

checkReachable(data.url)
  .then(() => (data.role === "sweep" ? enqueueAndCollect(data.url) : serve(data)))
  .catch((e: unknown) => {
    send({ kind: "fatal", error: e instanceof Unreachable ? e.message : `queue at ${showQueueUrl(data.url)}: ${reason(e)}`, usage: e instanceof Unreachable });
  });
