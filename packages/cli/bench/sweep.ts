/**
 * issue 12's sweep goal: all 50 kernels x the four autonumabench workloads on the default machine,
 * each run to its natural end, with 2 worker threads, by the built command (wall seconds from spawn
 * to exit). Needs `pnpm build`; takes minutes, so `pnpm bench --sweep` asks for it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { timeDist } from "./startup.js";

export const SWEEP_ARGS = [
  "sweep",
  "--steps",
  "0-49",
  "--workloads",
  "numa01,numa01-threadlocal,numa02,numa02-smt",
  "--machines",
  "default",
  "--seeds",
  "1",
  "--jobs",
  "2",
];

/** Wall seconds of the sweep, its runs and the simulated seconds they covered. */
export function timeSweep(): { wallSeconds: number; runs: number; simulatedSeconds: number } {
  const out = mkdtempSync(join(tmpdir(), "bn-bench-sweep-"));
  try {
    const wallSeconds = timeDist([...SWEEP_ARGS, "--out", out]);
    const rows = readFileSync(join(out, "results.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { report: { elapsedSeconds: number } });
    const simulatedSeconds = rows.reduce((s, r) => s + r.report.elapsedSeconds, 0);
    return { wallSeconds: Number(wallSeconds.toFixed(1)), runs: rows.length, simulatedSeconds: Number(simulatedSeconds.toFixed(1)) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
