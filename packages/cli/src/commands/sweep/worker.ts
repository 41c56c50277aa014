/**
 * A sweep worker thread: runs the cells the main thread sends, one at a time, and posts each
 * result line back. Every message is followed by a bump of the shared counter, which is what the
 * main thread waits on (it waits synchronously, see pool.ts).
 */
import { workerData, type MessagePort } from "node:worker_threads";
import { runWorkload } from "@balancenuma/workloads";
import type { Cell, CellArgs } from "./matrix.js";
import { isUsageError } from "../../errors.js";

export interface Job {
  cell: Cell;
  args: CellArgs;
}

export type Reply = { cell: Cell; line: string } | { cell: Cell | null; error: string; usage: boolean };

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

function post(reply: Reply): void {
  port.postMessage(reply);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

port.on("message", ({ cell, args }: Job) => {
  try {
    const { report } = runWorkload({ workload: cell.workload, topology: cell.machine, step: cell.step, seed: cell.seed, seconds: args.seconds, scale: args.scale, thp: args.thp });
    post({ cell, line: JSON.stringify({ ...cell, args, report }) });
  } catch (e) {
    post({ cell, error: e instanceof Error ? e.message : String(e), usage: isUsageError(e) });
  }
});
