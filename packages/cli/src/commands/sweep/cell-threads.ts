import { Worker } from "node:worker_threads";
import type { Job, Reply } from "./worker.js";

/**
 * Sweep worker threads for a thread that keeps its event loop (the queue worker's): `run` hands a
 * job to an idle thread, or a new one, and resolves with its reply. A thread that dies under its job
 * rejects the job with the reason and is dropped; the next job gets a new thread. At most as many
 * threads as jobs run at once (the caller bounds that).
 */
export class CellThreads {
  private readonly idle = new Set<Worker>();
  private readonly all = new Set<Worker>();

  constructor(
    private readonly entry: URL,
    private readonly execArgv: string[],
  ) {}

  run(job: Job): Promise<Reply> {
    const thread = this.idle.values().next().value ?? this.start();
    this.idle.delete(thread);
    return new Promise((resolve, reject) => {
      let failure: Error | undefined;
      const onError = (e: Error) => (failure = e);
      const onExit = (code: number) => {
        done();
        reject(new Error(`its worker thread died (${failure ? failure.message : `exit code ${code}`})`));
      };
      const onMessage = (reply: Reply) => {
        done();
        this.idle.add(thread);
        resolve(reply);
      };
      const done = () => {
        thread.off("message", onMessage);
        thread.off("error", onError);
        thread.off("exit", onExit);
      };
      thread.on("message", onMessage);
      thread.on("error", onError);
      thread.on("exit", onExit);
      thread.postMessage(job);
    });
  }

  /** End every thread (jobs in flight are rejected). */
  async close(): Promise<void> {
    await Promise.all([...this.all].map((t) => t.terminate()));
  }

  private start(): Worker {
    const thread = new Worker(this.entry, { execArgv: this.execArgv });
    this.all.add(thread);
    // An idle thread that dies (nothing should kill one) is simply forgotten.
    thread.on("error", () => {});
    thread.once("exit", () => {
      this.all.delete(thread);
      this.idle.delete(thread);
    });
    return thread;
  }
}
