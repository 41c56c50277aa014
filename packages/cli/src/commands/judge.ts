import { spawnSync, type SpawnSyncOptions, type SpawnSyncReturns } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunReport } from "@balancenuma/workloads";
import { CommandFailure } from "../errors.js";
import type { Verdict } from "./bisect-search.js";

/** --run-timeout's default, seconds: a judge reads one report, so a minute is far more than it needs. */
export const DEFAULT_JUDGE_TIMEOUT = 60;

/**
 * An external judge, as `git bisect run` runs one: the command (through the shell) gets the run's
 * JSON report on stdin and its path in $BALANCENUMA_REPORT. Exit 0 = good, 125 = skip, 1-124, 126
 * and 127 = bad; 128 and above (or a signal) aborts the bisect, and so does 126 or 127 on the first
 * judged run (the shell could not find or execute the command). A judge still running after
 * `timeoutSeconds` is killed with everything it started, and the run counts as skipped (125).
 *
 * stdin is the report file itself, not a pipe: a judge that never reads it cannot make the write
 * fail (EPIPE). Its stdout and stderr go to a file, passed on to `err` when it ends, so a process it
 * leaves behind cannot hold a pipe open and keep bisect waiting.
 */
export function runJudge(cmd: string, report: RunReport, first: boolean, err: (s: string) => void, timeoutSeconds = DEFAULT_JUDGE_TIMEOUT): Verdict {
  const dir = mkdtempSync(join(tmpdir(), "balancenuma-judge-"));
  try {
    const path = join(dir, "report.json");
    const log = join(dir, "output");
    writeFileSync(path, JSON.stringify(report, null, 2) + "\n");
    const stdin = openSync(path, "r");
    const output = openSync(log, "w");
    // detached (setsid: its own process group, so a timeout can kill what the shell started too)
    // works for spawnSync as for spawn, though @types/node lists it for spawn only.
    const options: SpawnSyncOptions & { detached: boolean } = {
      shell: true,
      stdio: [stdin, output, output],
      detached: true,
      timeout: timeoutSeconds * 1000,
      killSignal: "SIGKILL",
      env: { ...process.env, BALANCENUMA_REPORT: path, BALANCENUMA_STEP: String(report.step), BALANCENUMA_SEED: String(report.seed) },
    };
    let r: SpawnSyncReturns<unknown>;
    try {
      r = spawnSync(cmd, options);
    } finally {
      closeSync(stdin);
      closeSync(output);
    }
    const said = readFileSync(log, "utf8");
    if (said) err(said);
    if (r.error && "code" in r.error && r.error.code === "ETIMEDOUT") {
      killGroup(r.pid);
      err(
        `balancenuma: the judge ran longer than --run-timeout ${timeoutSeconds} s at step ${report.step} seed ${report.seed}: killed, and counted as skip (125)\n`,
      );
      return "skip";
    }
    if (r.error) throw new CommandFailure(`cannot run the judge '${cmd}': ${r.error.message}`);
    if (r.status === null) throw new CommandFailure(`the judge '${cmd}' was killed by ${r.signal} at step ${report.step}: bisect aborted`);
    const code = r.status;
    if (code >= 128) throw new CommandFailure(`the judge '${cmd}' exited with ${code} at step ${report.step} (128 or more aborts, as in git bisect run)`);
    if (first && (code === 126 || code === 127))
      throw new CommandFailure(`the judge '${cmd}' exited with ${code} on the first run: the shell could not ${code === 126 ? "execute" : "find"} it`);
    return code === 0 ? "good" : code === 125 ? "skip" : "bad";
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Kill what is left of a timed-out judge's process group (the shell is dead; what it started may not be). */
function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Nothing left in the group.
  }
}
