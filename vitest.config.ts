import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
// Tests run against sources: every @balancenuma/* import resolves to the package's src/index.ts,
// so a subsystem's tests can boot a whole kernel without a build step or a package cycle.
const alias: Record<string, string> = Object.fromEntries([
  ...readdirSync(`${root}packages`).map((p): [string, string] => [`@balancenuma/${p}`, `${root}packages/${p}/src/index.ts`]),
  ["@balancenuma/series", `${root}series/index.ts`],
]);

export default defineConfig({
  resolve: { alias },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "series/**/*.test.ts"],
    // No model module keeps mutable module-level state (lint-enforced determinism), so files can share a worker.
    isolate: false,
    // The model's modules (everything but the test files) are loaded by Node itself through tsx, as
    // `pnpm bn` runs them, not rewritten by vite's module runner: its import rewriting makes the
    // simulator's hot loops several times slower.
    execArgv: ["--conditions=source", "--import", "tsx"],
    server: { deps: { external: [/\/(packages\/[^/]+\/src|series)\/(?!.*\.test\.ts$).*\.ts$/] } },
    // A hang guard, not a speed check (speed is `pnpm bench`): whole-workload tests take several
    // times longer on a shared machine.
    testTimeout: 180_000,
  },
});
