#!/usr/bin/env node
// The project's test command (`pnpm test`): typecheck, lint, knip, then every vitest suite. It ends
// with the plain line "N passed, N failed" that CI reads: N counts vitest tests plus the typecheck,
// lint and knip checks (one each). Extra arguments go to vitest (e.g. a path filter).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const run = (cmd, cmdArgs) => spawnSync(cmd, cmdArgs, { stdio: "inherit", shell: false }).status ?? 1;
const bin = (name) => join("node_modules", ".bin", name);

let passed = 0;
let failed = 0;
const check = (label, status) => {
  if (status === 0) passed++;
  else {
    failed++;
    console.error(`✗ ${label} failed`);
  }
};

if (args.length === 0) {
  check("typecheck (tsc -p tsconfig.json)", run(bin("tsc"), ["-p", "tsconfig.json"]));
  check("lint (eslint .)", run(bin("eslint"), ["."]));
  // Unused files, exports and dependencies, and one value exported under two names (knip.json).
  check("unused and duplicate exports (knip)", run(bin("knip"), ["--no-progress"]));
}

const dir = mkdtempSync(join(tmpdir(), "balancenuma-vitest-"));
const json = join(dir, "results.json");
const status = run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${json}`, ...args]);
let results = null;
try {
  results = JSON.parse(readFileSync(json, "utf8"));
} catch {
  // vitest crashed before writing its report
}
rmSync(dir, { recursive: true, force: true });
if (results) {
  passed += results.numPassedTests;
  failed += results.numFailedTests + (results.numFailedTestSuites > 0 && results.numFailedTests === 0 ? results.numFailedTestSuites : 0);
  if (results.numTotalTests === 0) failed++;
} else failed++;
const skipped = results ? results.numPendingTests + results.numTodoTests : 0;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || status !== 0 ? 1 : 0);
