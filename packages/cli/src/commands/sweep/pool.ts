import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { Job, Reply } from "./worker.js";

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
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an eval'd worker is a CommonJS script
  const threadsApi = require("node:worker_threads") as typeof import("node:worker_threads");
  const Thread = threadsApi.Worker;
  const { port, signal, entry, execArgv, threads, jobs } = threadsApi.workerData as CoordinatorData;
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
  for (let i = 0; i < Math.min(threads, jobs.length); i++) start();
}

const SWEEP_WORKER = new URL(import.meta.url.endsWith(".ts") ? "./worker-dev.mjs" : "./worker.js", import.meta.url);

/**
 * Run jobs on `threads` worker threads and hand each reply to `onReply` as it comes, in the calling
 * thread. The CLI's commands are synchronous (`main` returns the exit code), so the calling thread
 * does not return to the event loop: it sleeps on a shared counter (Atomics.wait) that the
 * coordinator thread bumps after each reply, and takes the replies with receiveMessageOnPort. A
 * worker's death is an event only an event loop sees, hence the coordinator between them.
 * `onReply` returning false stops the pool (the jobs in flight are dropped). `entry` is the worker
 * module (tests give their own).
 */
export function runPool(jobs: Job[], threads: number, onReply: (r: Reply) => boolean, entry: URL = SWEEP_WORKER): void {
  if (jobs.length === 0) return;
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // --conditions=source makes @balancenuma/* resolve to TypeScript sources, as `pnpm bn` does.
  const execArgv = import.meta.url.endsWith(".ts") ? ["--conditions=source"] : [];
  const data: CoordinatorData = { port: port2, signal, entry: entry.href, execArgv, threads, jobs };
  // tsx (running from sources) wraps named functions in __name(); the eval'd source needs it too.
  const coord = new Worker(`const __name = (f) => f;\n(${coordinator.toString()})()`, { eval: true, workerData: data, transferList: [port2] });
  coord.unref();
  coord.on("error", () => {});
  try {
    let seen = 0;
    for (let replies = 0; replies < jobs.length; ) {
      Atomics.wait(signal, 0, seen, 1000);
      seen = Atomics.load(signal, 0);
      for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) {
        replies++;
        if (!onReply(m.message as Reply)) return;
      }
    }
  } finally {
    port1.close();
    void coord.terminate();
  }
}
