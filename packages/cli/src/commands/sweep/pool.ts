import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { Job, Reply } from "./worker.js";

/**
 * Run jobs on `threads` worker threads and hand each reply to `onReply` as it comes, in the calling
 * thread. The CLI's commands are synchronous (`main` returns the exit code), so the calling thread
 * does not return to the event loop: it sleeps on a shared counter (Atomics.wait) that workers bump
 * after each reply, and takes the replies with receiveMessageOnPort. `onReply` returning false stops
 * the pool (the jobs in flight are dropped).
 */
export function runPool(jobs: Job[], threads: number, onReply: (r: Reply) => boolean): void {
  if (jobs.length === 0) return;
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const dev = import.meta.url.endsWith(".ts");
  const entry = new URL(dev ? "./worker-dev.mjs" : "./worker.js", import.meta.url);
  const workers: { worker: Worker; port: MessagePort; busy: boolean }[] = [];
  for (let i = 0; i < Math.min(threads, jobs.length); i++) {
    const { port1, port2 } = new MessageChannel();
    // --conditions=source makes @balancenuma/* resolve to TypeScript sources, as `pnpm bn` does.
    const worker = new Worker(entry, { workerData: { port: port2, signal }, transferList: [port2], execArgv: dev ? ["--conditions=source"] : [] });
    worker.unref();
    workers.push({ worker, port: port1, busy: false });
  }
  let next = 0;
  let pending = 0;
  const feed = (w: (typeof workers)[number]) => {
    if (next < jobs.length) {
      w.port.postMessage(jobs[next++]);
      w.busy = true;
      pending++;
    } else w.busy = false;
  };
  try {
    for (const w of workers) feed(w);
    let seen = 0;
    while (pending > 0) {
      Atomics.wait(signal, 0, seen, 1000);
      seen = Atomics.load(signal, 0);
      for (const w of workers) {
        for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port)) {
          pending--;
          if (!onReply(m.message as Reply)) return;
          feed(w);
        }
      }
    }
  } finally {
    for (const w of workers) {
      w.port.close();
      void w.worker.terminate();
    }
  }
}
