import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { main } from "../src/main.js";

/** Run the CLI in-process; returns exit code, stdout and stderr. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false });
  return { code, out, err };
}

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** The command line that runs the CLI from source in a fresh process (as `pnpm bn` does). */
export const BIN = [process.execPath, "--conditions=@balancenuma/source", "--import", "tsx", "packages/cli/src/bin.ts"];

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Run the CLI in a fresh process through bash, its stdout piped into `reader` (a shell command, e.g.
 * `true`, which exits without reading); returns the CLI's exit status and stderr.
 */
export function cliInPipe(args: string[], reader: string, timeoutMs = 60_000): { code: number; err: string } {
  const script = `${[...BIN, ...args].map(quote).join(" ")} 2>&3 | ${reader}; echo "\${PIPESTATUS[0]}" >&4`;
  const r = spawnSync("bash", ["-c", `{ ${script} ; } 3>&2 4>&1 1>/dev/null`], { cwd: repoRoot, encoding: "utf8", timeout: timeoutMs });
  return { code: Number(r.stdout.trim()), err: r.stderr };
}

/** A small sweep matrix (2 steps x 1 workload x 1 machine x 2 seeds, 0.3 s each, 2 worker threads) the sweep tests share. */
const SMALL_SWEEP = [
  "--steps",
  "0,49",
  "--workloads",
  "remote-memory",
  "--machines",
  "nodes=2,cpus=2,mem=128M",
  "--seeds",
  "1,2",
  "--seconds",
  "0.3",
  "--jobs",
  "2",
];

/** `balancenuma sweep` of SMALL_SWEEP into `out`, with `extra` flags. */
export const smallSweep = async (out: string, ...extra: string[]) => await cli(["sweep", ...SMALL_SWEEP, "--out", out, ...extra]);
