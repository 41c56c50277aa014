/**
 * What the sweep (`sweep --queue`) and its workers (`worker --queue`) agree on: the queue's name, a
 * job's id and options, and the messages between the queue thread and the command's thread.
 */
import { InvalidArgumentError } from "commander";
import { cellFileName, type Cell, type CellArgs } from "./matrix.js";
import type { Job, Reply } from "./worker.js";

/** The BullMQ queue every sweep and worker uses (keys `bull:balancenuma-sweep:*` in the Redis database). */
export const QUEUE_NAME = "balancenuma-sweep";

/** Tries a cell gets when its worker thread dies under it (out of memory, a crash): another worker may have the memory. */
export const JOB_ATTEMPTS = 3;

/** Times a cell may lose its worker process (killed, machine lost) and go back to the queue; one more and it fails. */
export const MAX_STALLED = 2;

/** A worker's default lock on its cells: renewed every half of it, and expired this long after the worker died. */
export const DEFAULT_LOCK_SECONDS = 30;

/** --queue: redis://[USER:PASSWORD@]HOST[:PORT][/N] (or rediss:// for TLS). */
export function parseQueueUrl(v: string): string {
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    // Reported below.
  }
  if (!url || !["redis:", "rediss:"].includes(url.protocol) || !url.hostname || !/^\/?\d*$/.test(url.pathname) || url.search || url.hash)
    throw new InvalidArgumentError(`'${v}' is not a Redis URL; use redis://HOST:PORT/N, e.g. redis://127.0.0.1:6379/0`);
  return v;
}

/** The URL for messages, its password hidden. */
export function showQueueUrl(v: string): string {
  const url = new URL(v);
  if (url.password) url.password = "***";
  return url.href;
}

/**
 * A cell's job id: the cell and its run options, readable (BullMQ ids may not hold ':'). The same
 * cell enqueued again, by a resumed sweep or another one, is the same job: adding it is a no-op.
 */
export function cellJobId(cell: Cell, args: CellArgs): string {
  const options = `thp_${args.thp}${args.seconds === undefined ? "" : `-seconds_${args.seconds}`}${args.scale === undefined ? "" : `-scale_${args.scale}`}`;
  return `${cellFileName(cell).replace(/\.json$/, "")}-${options}`;
}

/** What the queue thread is given. */
export type QueueThreadData =
  | { role: "sweep"; url: string }
  | { role: "worker"; url: string; concurrency: number; lockSeconds: number; name: string; log: boolean };

/** Messages from the queue thread: connected (sweep), a cell's reply (sweep), a line to print (worker), a fatal error, or the end. */
export type QueueMessage =
  | { kind: "ready" }
  | { kind: "reply"; id: string; reply: Reply }
  | { kind: "log"; line: string }
  | { kind: "fatal"; error: string; usage: boolean }
  | { kind: "closed" };

/** Messages to the queue thread (sweep): jobs to enqueue and wait for; a reply has been recorded, so its job can go; stop. */
export type SweepCommand = { kind: "enqueue"; jobs: Job[] } | { kind: "collected"; id: string } | { kind: "close" };
