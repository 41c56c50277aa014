#!/usr/bin/env node
// The project's test command (`pnpm test`): type-check, lint and test every package through turbo
// (a task whose inputs, its package's and its dependencies', did not change is answered from turbo's
// cache), runs knip and prettier --check, then adds up. It ends with the plain line "N passed, N failed" that CI reads: N counts
// vitest tests plus one per typecheck and lint task, and one each for knip and prettier. Extra arguments run vitest alone at the root
// instead, with them (e.g. a path filter).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const run = (cmd, cmdArgs) => spawnSync(cmd, cmdArgs, { stdio: "inherit" }).status ?? 1;
const bin = (name) => join("node_modules", ".bin", name);
const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null; // not written: the task crashed before its report
  }
};

let passed = 0;
let failed = 0;
let skipped = 0;
/** Add one vitest report (or its absence, a failure) to the counts. */
const countTests = (label, results) => {
  if (!results || results.numTotalTests === 0) {
    failed++;
    console.error(`✗ ${label}: no test results`);
    return;
  }
  passed += results.numPassedTests;
  failed += results.numFailedTests + (results.numFailedTestSuites > 0 && results.numFailedTests === 0 ? results.numFailedTestSuites : 0);
  skipped += results.numPendingTests + results.numTodoTests;
};

/** `turbo run` of some tasks: its exit status and the tasks of its run summary. */
function turbo(tasks, options) {
  const runsDir = join(".turbo", "runs");
  const before = new Set(existsSync(runsDir) ? readdirSync(runsDir) : []);
  const status = run(bin("turbo"), ["run", ...tasks, "--continue", "--summarize", ...options]);
  const summaryFile = existsSync(runsDir) ? readdirSync(runsDir).find((f) => !before.has(f)) : undefined;
  const summary = summaryFile ? readJson(join(runsDir, summaryFile)) : null;
  if (summaryFile) rmSync(join(runsDir, summaryFile));
  if (!summary) {
    failed++;
    console.error(`✗ turbo run ${tasks.join(" ")} wrote no run summary`);
  }
  // Only the tasks asked for (not the builds they depend on).
  return { status, tasks: (summary?.tasks ?? []).filter((t) => tasks.includes(t.task)) };
}

let status;
if (args.length > 0) {
  rmSync(".vitest/results.json", { force: true });
  status = run(bin("vitest"), ["run", ...args]);
  countTests("vitest", readJson(".vitest/results.json"));
} else {
  const dirs = ["packages", "series"].flatMap((d) => (d === "series" ? [d] : readdirSync(d).map((p) => join(d, p)))).concat(".");
  for (const dir of dirs) rmSync(join(dir, ".vitest", "results.json"), { force: true });
  // Checks side by side; test suites one package at a time, each with every core (suites that share
  // the cores with each other overrun their timeouts on a small machine).
  const checks = turbo(["typecheck", "typecheck:root", "lint", "lint:root"], []);
  // Unused files, exports and dependencies, and one value exported under two names (knip.jsonc);
  // then the formatting (`pnpm format` fixes it).
  for (const [label, cmd, cmdArgs] of [
    ["knip found unused or duplicate exports", "knip", ["--no-progress"]],
    ["prettier found unformatted files (run pnpm format)", "prettier", ["--check", "**/*.{ts,mjs,js,json}", "--log-level", "warn"]],
  ]) {
    if (run(bin(cmd), cmdArgs) === 0) passed++;
    else {
      failed++;
      console.error(`✗ ${label}`);
    }
  }
  const tests = turbo(["test", "test:root"], ["--concurrency=1"]);
  status = checks.status || tests.status;
  for (const task of [...checks.tasks, ...tests.tasks]) {
    const ok = task.execution?.exitCode === 0 || task.cache?.status === "HIT";
    if (task.task.startsWith("test")) countTests(task.taskId, readJson(join(task.directory || ".", ".vitest", "results.json")));
    else if (ok) passed++;
    else {
      failed++;
      console.error(`✗ ${task.taskId} failed`);
    }
  }
}
if (skipped) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || status !== 0 ? 1 : 0);
