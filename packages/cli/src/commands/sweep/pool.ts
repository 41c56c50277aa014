import { Worker, type MessagePort } from "node:worker_threads";
import type { Job, Reply } from "./worker.js";
import { BlockingChannel } from "./blocking-channel.js";

/** What the coordinator thread is given. */
interface CoordinatorData {
  port: MessagePort;
  signal: Int32Array;
  entry: string;
  execArgv: string[];
  threads: number;
  jobs: Job[];
}

/**
 * The coordinator thread's code (run from its source text, so it needs no loader). It owns the
 * worker threads: feeds them jobs and forwards each reply. A worker that dies (out of memory, a
 * crash) is seen here, where the event loop runs: its job is answered with an error and a new
 * worker takes the jobs left. Every job gets exactly one reply.
 */
function coordinator(): void {
  // Not require(): a bundler rewrites require calls into helpers this source text does not have.
  const threadsApi = process.getBuiltinModule("node:worker_threads");
  const Thread = threadsApi.Worker;
  const { port, signal, entry, execArgv, threads, jobs } = threadsApi.workerData as CoordinatorData;
  // postAndWake's steps (this source cannot import).
  const post = (reply: Reply) => {
    port.postMessage(reply);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  let next = 0;
  const start = () => {
    const w = new Thread(new URL(entry), { execArgv });
    let job: Job | null = null;
    let failure: Error | null = null;
    const feed = () => {
      job = next < jobs.length ? jobs[next++] : null;
      if (job) w.postMessage(job);
      else void w.terminate();
    };
    w.on("message", (reply: Reply) => {
      post(reply);
      feed();
    });
    w.on("error", (e) => (failure = e));
    w.on("exit", (code) => {
      if (!job) return;
      post({ cell: job.cell, error: `its worker thread died (${failure ? failure.message : `exit code ${code}`})`, usage: false });
      if (next < jobs.length) start();
    });
    feed();
  };
  try {
    for (let i = 0; i < Math.min(threads, jobs.length); i++) start();
  } catch (e) {
    // The caller sleeps until every job has its reply: answer the ones not started.
    for (; next < jobs.length; next++) post({ cell: jobs[next].cell, error: `no worker thread could start (${String(e)})`, usage: false });
  }
}

/** The sweep worker thread's module: worker.ts through its development entry when running from sources. */
export const SWEEP_WORKER = new URL(import.meta.url.endsWith(".ts") ? "./worker-dev.mjs" : "./worker.js", import.meta.url);

/** Node options for a thread running this package's modules: from sources, @balancenuma/* resolve to TypeScript (as `pnpm bn` does). */
export const THREAD_EXEC_ARGV = import.meta.url.endsWith(".ts") ? ["--conditions=@balancenuma/source"] : [];

/**
 * Run jobs on `threads` worker threads and hand each reply to `onReply` as it comes, in the calling
 * thread, which sleeps on a BlockingChannel meanwhile. A worker's death is an event only an event
 * loop sees, hence the coordinator thread between them. `onReply` returning false stops the pool
 * (the jobs in flight are dropped). `entry` is the worker module (tests give their own).
 */
export function runPool(jobs: Job[], threads: number, onReply: (r: Reply) => boolean, entry: URL = SWEEP_WORKER): void {
  if (jobs.length === 0) return;
  const channel = new BlockingChannel();
  const { port, signal } = channel.sender;
  const data: CoordinatorData = { port, signal, entry: entry.href, execArgv: THREAD_EXEC_ARGV, threads, jobs };
  // tsx (running from sources) wraps named functions in __name(); the eval'd source needs it too.
  const coord = new Worker(`const __name = (f) => f;\n(${coordinator.toString()})()`, { eval: true, workerData: data, transferList: [port] });
  coord.unref();
  coord.on("error", () => {});
  try {
    let replies = 0;
    channel.receive((reply) => onReply(reply as Reply) && ++replies < jobs.length);
  } finally {
    channel.close();
    void coord.terminate();
  }
}
