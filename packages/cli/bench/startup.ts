/**
 * Start-up of the installed command: `node packages/cli/dist/bundle/balancenuma.js ...` as a separate process, wall
 * time from spawn to exit. Needs `pnpm build`.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

export const DIST_BIN = fileURLToPath(new URL("../dist/bundle/balancenuma.js", import.meta.url));

export const distBuilt = (): boolean => existsSync(DIST_BIN);

/** Wall seconds of one run of the built command with `args`; throws if it fails. */
export function timeDist(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [DIST_BIN, ...args], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`balancenuma ${args.join(" ")} exited with ${r.status}: ${r.stderr.trim()}`);
  return wall;
}

/** The fastest and the median of `n` runs, wall seconds. */
export function timeDistRepeated(args: readonly string[], n: number): { min: number; median: number } {
  const t = Array.from({ length: n }, () => timeDist(args)).sort((a, b) => a - b);
  return { min: t[0], median: t[Math.floor(n / 2)] };
}
