// Flat, type-aware lint config. Beyond the recommended rules it enforces the design's rules:
// subsystem packages never import each other (calls go through the kernel context), no file reaches
// into another package by relative path (packages import each other by name, as declared), and
// model code never reads wall-clock time or unseeded randomness (runs must be reproducible).
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** The folder of the package a path belongs to: the nearest one at or above it with a package.json. */
const packageRoots = new Map();
function packageRoot(dir) {
  if (!packageRoots.has(dir)) packageRoots.set(dir, existsSync(join(dir, "package.json")) || dirname(dir) === dir ? dir : packageRoot(dirname(dir)));
  return packageRoots.get(dir);
}

/** A relative import must stay inside its own package: `../../mm-memory/src/x.js` hides a dependency. */
const noRelativePackages = {
  meta: {
    type: "problem",
    messages: { cross: "'{{source}}' reaches into another package: import it by its name (@balancenuma/...) and declare the dependency" },
  },
  create(context) {
    const own = packageRoot(dirname(context.filename));
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source === "string" && source.startsWith(".") && packageRoot(dirname(resolve(dirname(context.filename), source))) !== own)
        context.report({ node: node.source, messageId: "cross", data: { source } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

const SUBSYSTEMS = [
  "arch-x86-pgtable",
  "mm-memory",
  "mm-mprotect",
  "mm-migrate",
  "mm-mempolicy",
  "mm-huge-memory",
  "mm-rmap",
  "sched-fair",
  "vmstat",
  "mm-page-alloc",
];
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
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { balancenuma: { rules: { "no-relative-packages": noRelativePackages } } },
    rules: {
      "balancenuma/no-relative-packages": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true, allowNullish: true }],
      // noUncheckedIndexedAccess stays off (tsconfig.base.json says why), so every typed-array and
      // record read looks defined to this rule and it would call the real guards on them needless.
      "@typescript-eslint/no-unnecessary-condition": "off",
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
