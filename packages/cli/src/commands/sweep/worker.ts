/**
 * A sweep worker thread: runs the cells its parent (the pool's coordinator thread) sends, one at a
 * time, and posts each result line back.
 */
import { parentPort } from "node:worker_threads";
import { runWorkload } from "@balancenuma/workloads";
import type { Cell, CellArgs } from "./matrix.js";
import { isUsageError } from "../../errors.js";
import { equivalentRun, invocation } from "../../invocation.js";
import { revertAt } from "../../kernels.js";

export interface Job {
  cell: Cell;
  args: CellArgs;
}

export type Reply = { cell: Cell; line: string } | { cell: Cell | null; error: string; usage: boolean };

const port = parentPort!;

port.on("message", ({ cell, args }: Job) => {
  try {
    // The kernel leaves out the --revert steps it has; those above its step do not apply.
    const revert = revertAt(args.revert ?? [], cell.step);
    const { report } = runWorkload({
      workload: cell.workload,
      topology: cell.machine,
      step: cell.step,
      revert,
      seed: cell.seed,
      seconds: args.seconds,
      scale: args.scale,
      thp: args.thp,
      sampleEvery: args.sampleEvery,
      // The run that gives this cell on its own: the same whatever sweep (or shard) ran it.
      invocation: invocation(cell.step, equivalentRun({ workload: cell.workload, topology: cell.machine, ...args, revert }, cell.step, cell.seed)),
    });
    port.postMessage({ cell, line: JSON.stringify({ ...cell, args, report }) } satisfies Reply);
  } catch (e) {
    port.postMessage({ cell, error: e instanceof Error ? e.message : String(e), usage: isUsageError(e) } satisfies Reply);
  }
});
