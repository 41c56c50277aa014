// Flat, type-aware lint config. Beyond the recommended rules it enforces the design's two rules:
// subsystem packages never import each other (calls go through the kernel context), and model code
// never reads wall-clock time or unseeded randomness (runs must be reproducible).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const SUBSYSTEMS = ["arch-x86-pgtable", "mm-memory", "mm-mprotect", "mm-migrate", "mm-mempolicy", "mm-huge-memory", "mm-rmap", "sched-fair", "vmstat", "mm-page-alloc"];
// What a subsystem may import: the shared types, the hardware, and the two leaf packages.
const SUBSYSTEM_MAY_IMPORT = new Set(["include-linux", "machine", "arch-x86-pgtable", "vmstat"]);
const MODEL = [...SUBSYSTEMS, "include-linux", "machine", "kernel", "workloads"];

const nondeterminism = {
  "no-restricted-properties": [
    "error",
    { object: "Math", property: "random", message: "use the kernel's seeded k.rng" },
    { object: "Date", property: "now", message: "use simulated time (k.now())" },
    { object: "performance", property: "now", message: "use simulated time (k.now())" },
  ],
  "no-restricted-globals": [
    "error",
    { name: "setTimeout", message: "the model has no timers; use simulated time" },
    { name: "setInterval", message: "the model has no timers; use simulated time" },
    { name: "setImmediate", message: "the model has no timers; use simulated time" },
  ],
  "no-restricted-syntax": ["error", { selector: "NewExpression[callee.name='Date']", message: "use simulated time (k.now())" }],
};

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "out/**", "results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true, allowNullish: true }],
    },
  },
  ...SUBSYSTEMS.map((pkg) => ({
    files: [`packages/${pkg}/src/**/*.ts`],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `^@balancenuma/(?!(${[...SUBSYSTEM_MAY_IMPORT].filter((p) => p !== pkg).join("|")})$)`,
              message: "a subsystem calls another through the kernel context (k.<subsystem>), never by import",
            },
          ],
        },
      ],
    },
  })),
  {
    files: MODEL.map((p) => `packages/${p}/src/**/*.ts`).concat(["series/**/*.ts"]),
    // The fuzz driver is a host tool: it times itself and picks a seed when none is given.
    ignores: ["**/*.test.ts", "series/fuzz/cli.ts"],
    rules: nondeterminism,
  },
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
  { files: ["scripts/**/*.mjs"], languageOptions: { globals: { process: "readonly", console: "readonly" } } },
);
