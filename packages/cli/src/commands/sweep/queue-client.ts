/**
 * The command's side of queue mode: start the queue thread (queue-thread.ts) and act on its
 * messages while sleeping in a BlockingChannel, as runPool does for local worker threads.
 */
import { Worker } from "node:worker_threads";
import { CommandFailure, UsageError } from "../../errors.js";
import { BlockingChannel, type ChannelSender } from "./blocking-channel.js";
import { THREAD_EXEC_ARGV } from "./pool.js";
import type { QueueMessage, QueueThreadData, SweepCommand } from "./queue.js";
import type { Job, Reply } from "./worker.js";

const FROM_SOURCES = import.meta.url.endsWith(".ts");
const QUEUE_THREAD = new URL(FROM_SOURCES ? "./queue-thread.ts" : "./queue-thread.js", import.meta.url);

/** How long a finished sweep waits for the queue thread to remove the collected jobs and close. */
const CLOSE_TIMEOUT_MS = 10_000;

interface BootData {
  module: string;
  /** tsx's registration API when running from sources (a thread does not inherit tsx's loader on Node 20). */
  tsx: string | null;
  channel: ChannelSender;
}

/**
 * The queue thread's first code, run from its source text: load the module (through tsx from
 * sources) and, if that fails, say so on the channel, since the command's thread sleeps and sees no
 * thread's death.
 */
function boot(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an eval'd worker is a CommonJS script
  const threads = require("node:worker_threads") as typeof import("node:worker_threads");
  const { module, tsx, channel } = threads.workerData as BootData;
  const load = async () => {
    if (tsx) ((await import(tsx)) as { register: () => void }).register();
    await import(module);
  };
  load().catch((e: unknown) => {
    // postAndWake's steps (this source cannot import).
    channel.port.postMessage({ kind: "fatal", error: `the queue thread could not start: ${e instanceof Error ? e.message : String(e)}`, usage: false });
    Atomics.add(channel.signal, 0, 1);
    Atomics.notify(channel.signal, 0);
  });
}

function startQueueThread(data: QueueThreadData, channel: BlockingChannel): Worker {
  const bootData: BootData = { module: QUEUE_THREAD.href, tsx: FROM_SOURCES ? import.meta.resolve("tsx/esm/api") : null, channel: channel.sender };
  // tsx (running from sources) wraps named functions in __name(); the eval'd source needs it too.
  const thread = new Worker(`const __name = (f) => f;\n(${boot.toString()})()`, {
    eval: true,
    execArgv: THREAD_EXEC_ARGV,
    workerData: { ...data, ...bootData },
    transferList: [channel.sender.port],
  });
  thread.on("error", () => {});
  return thread;
}

const failure = (m: Extract<QueueMessage, { kind: "fatal" }>) => (m.usage ? new UsageError(m.error) : new CommandFailure(m.error));

/**
 * The thread's next message other than a log line (those go to `print`); undefined when `timeoutMs`
 * pass first. A fatal error is thrown.
 */
function nextMessage(channel: BlockingChannel, print: (line: string) => void = () => {}, timeoutMs?: number): QueueMessage | undefined {
  let got: QueueMessage | undefined;
  const received = channel.receive((m) => {
    got = m as QueueMessage;
    if (got.kind !== "log") return false;
    print(got.line);
    return true;
  }, timeoutMs);
  if (!received) return undefined;
  if (got!.kind === "fatal") throw failure(got!);
  return got;
}

/**
 * A sweep's connection to the queue in Redis, held by the queue thread. Open it before writing
 * anything: an unreachable Redis is a usage error naming the URL.
 */
export class SweepQueue {
  private constructor(
    private readonly thread: Worker,
    private readonly channel: BlockingChannel,
  ) {}

  static open(url: string): SweepQueue {
    const channel = new BlockingChannel();
    const thread = startQueueThread({ role: "sweep", url }, channel);
    try {
      nextMessage(channel);
    } catch (e) {
      channel.close();
      void thread.terminate();
      throw e;
    }
    return new SweepQueue(thread, channel);
  }

  /**
   * Run jobs on the queue's workers and hand each reply to `onReply` as it comes, as runPool does. A
   * reply handled is a job done with: its job is removed from Redis, so the same cell enqueued later
   * runs afresh. `onReply` returning false stops waiting (jobs not yet answered stay queued; the same
   * sweep run again collects them).
   */
  run(jobs: Job[], onReply: (r: Reply) => boolean): void {
    if (jobs.length === 0) return;
    this.command({ kind: "enqueue", jobs });
    for (let left = jobs.length; left > 0; left--) {
      const m = nextMessage(this.channel);
      if (m?.kind !== "reply") throw new CommandFailure(`the queue thread said '${m?.kind}' while the sweep waited for results`);
      const more = onReply(m.reply);
      this.command({ kind: "collected", id: m.id });
      if (!more) return;
    }
  }

  /** Let the queue thread remove the collected jobs and disconnect (for a while at most), then end it. */
  close(): void {
    this.command({ kind: "close" });
    try {
      nextMessage(this.channel, undefined, CLOSE_TIMEOUT_MS);
    } catch {
      // Closing anyway.
    }
    this.channel.close();
    void this.thread.terminate();
  }

  private command(c: SweepCommand): void {
    this.thread.postMessage(c);
  }
}

export interface WorkerOptions {
  concurrency: number;
  lockSeconds: number;
  /** Stored on each job it runs (BullMQ's processedBy), e.g. host:pid. */
  name: string;
  /** A line per finished cell (on a terminal); failures are always printed. */
  log: boolean;
}

/** Take cells from the queue at `url` and run them until the process is stopped; returns only by throwing (Redis unusable). */
export function serveQueue(url: string, o: WorkerOptions, print: (line: string) => void): never {
  const channel = new BlockingChannel();
  const thread = startQueueThread({ role: "worker", url, ...o }, channel);
  try {
    for (;;) nextMessage(channel, print);
  } finally {
    channel.close();
    void thread.terminate();
  }
}
