import { availableParallelism } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Tests run against sources: the packages' private export condition `@balancenuma/source` points
 * at src/index.ts, so no build step is needed. Imports resolve through each package's own declared
 * dependencies (pnpm's node_modules links), as they do once installed.
 */
const SOURCE_CONDITION = "@balancenuma/source";
/** The folder vitest was started in: a package's (turbo's per-package test task) or the root. */
const started = process.cwd();
// Tests name the repository's files (docs/workloads/*.yaml, packages/cli/src/bin.ts) from its root,
// whichever package's tests run: they run there, as `pnpm bn` does.
process.chdir(import.meta.dirname);

export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: [SOURCE_CONDITION] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION] } },
  test: {
    // Run in a package's folder (turbo's per-package test task), vitest runs that package's tests; at
    // the root, every package's (`--dir test` for the workspace checks alone).
    dir: started,
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    // No model module keeps mutable module-level state (lint-enforced determinism), so files can share a worker.
    isolate: false,
    // The model's modules (everything but the test files) are loaded by Node itself through tsx, as
    // `pnpm bn` runs them, not rewritten by vite's module runner: its import rewriting makes the
    // simulator's hot loops several times slower.
    execArgv: [`--conditions=${SOURCE_CONDITION}`, "--import", "tsx"],
    server: { deps: { external: [/\/(packages\/[^/]+\/src|series)\/(?!.*\.test\.ts$).*\.ts$/] } },
    // A hang guard, not a speed check (speed is `pnpm bench`): whole-workload tests take several
    // times longer on a shared machine.
    testTimeout: 180_000,
    // Every run also leaves its counts in .vitest/results.json of the folder it ran in: turbo keeps
    // that file with a cached test task, and scripts/test.mjs adds them up.
    reporters: ["default", "json"],
    outputFile: { json: join(started, ".vitest", "results.json") },
    // The main process only waits: every core runs a worker.
    maxWorkers: availableParallelism(),
  },
});
