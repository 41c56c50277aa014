import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunReport } from "@balancenuma/workloads";
import { CommandFailure } from "../errors.js";
import type { Verdict } from "./bisect-search.js";

/**
 * An external judge, as `git bisect run` runs one: the command (through the shell) gets the run's
 * JSON report on stdin and its path in $BALANCENUMA_REPORT. Exit 0 = good, 125 = skip, 1-124, 126
 * and 127 = bad; 128 and above (or a signal) aborts the bisect, and so does 126 or 127 on the first
 * judged run (the shell could not find or execute the command).
 */
export function runJudge(cmd: string, report: RunReport, first: boolean, err: (s: string) => void): Verdict {
  const dir = mkdtempSync(join(tmpdir(), "balancenuma-judge-"));
  try {
    const json = JSON.stringify(report, null, 2) + "\n";
    const path = join(dir, "report.json");
    writeFileSync(path, json);
    const r = spawnSync(cmd, {
      shell: true,
      input: json,
      encoding: "utf8",
      env: { ...process.env, BALANCENUMA_REPORT: path, BALANCENUMA_STEP: String(report.step), BALANCENUMA_SEED: String(report.seed) },
    });
    if (r.stdout) err(r.stdout);
    if (r.stderr) err(r.stderr);
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
