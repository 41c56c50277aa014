import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "series/**/*.test.ts"],
    // No model module keeps mutable module-level state (lint-enforced determinism), so files can share a worker.
    isolate: false,
    testTimeout: 60_000,
  },
});
