import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readdirSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { dependencyProblems, packageImports, packageOf } from "./dependencies.js";

const root = join(import.meta.dirname, "..");
const workspace = [...readdirSync(join(root, "packages")).map((p) => `packages/${p}`), "series"];

describe("every package declares exactly what it imports", () => {
  it.each(workspace)("%s", (dir) => {
    expect(dependencyProblems(packageImports(join(root, dir)))).toEqual([]);
  });
});

describe("the dependency check", () => {
  const tmp = mkdtempSync(join(tmpdir(), "bn-deps-"));
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  /** A package in a temp folder: its manifest and files (path -> text). */
  function fixture(manifest: object, files: Record<string, string>) {
    const dir = mkdtempSync(join(tmp, "pkg-"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "@balancenuma/fixture", ...manifest }));
    writeFileSync(join(dir, "tsconfig.build.json"), JSON.stringify({ include: ["src/**/*.ts"], exclude: ["src/**/*.test.ts"] }));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dependencyProblems(packageImports(dir));
  }

  it("names the package of an import specifier", () => {
    expect(["@balancenuma/kernel", "@balancenuma/kernel/testing", "vitest/config", "yaml", "./x.js", "node:fs", "fs"].map(packageOf)).toEqual([
      "@balancenuma/kernel",
      "@balancenuma/kernel",
      "vitest",
      "yaml",
      null,
      null,
      null,
    ]);
  });

  it("accepts a package that declares exactly its imports", () => {
    expect(
      fixture(
        {
          dependencies: { "@balancenuma/machine": "workspace:*", "cli-progress": "3.12.0" },
          devDependencies: { vitest: "4.1.12", "@types/cli-progress": "3.11.6" },
        },
        {
          "src/index.ts": `export * from "./a.js";\nimport "node:fs";\n`,
          "src/a.ts": `import type { Topology } from "@balancenuma/machine";\nimport Bar from "cli-progress";\n`,
          "src/a.test.ts": `import { it } from "vitest";\nimport "@balancenuma/fixture";\n`,
        },
      ),
    ).toEqual([]);
  });

  it("finds undeclared, unused, misplaced and unpinned dependencies", () => {
    expect(
      fixture(
        { dependencies: { "@balancenuma/machine": "^0.1.0", fastify: "5.0.0", zod: "4.6.7" }, devDependencies: { yaml: "^2.0.0" } },
        {
          "src/index.ts": `import { x } from "@balancenuma/kernel";\nimport "@balancenuma/machine";\n`,
          "test/a.test.ts": `const m = await import("zod");\nimport "vitest";\n`,
        },
      ),
    ).toEqual([
      expect.stringMatching(/^@balancenuma\/kernel is imported by .*src\/index\.ts \(shipped code\) but not in dependencies$/),
      expect.stringMatching(/^vitest is imported by .*test\/a\.test\.ts \(tests or tools\) but not in devDependencies$/),
      "dependency fastify is not imported by the shipped code",
      "dependency zod is not imported by the shipped code (only by tests or tools: make it a devDependency)",
      "devDependency yaml is not imported by the tests or tools",
      `@balancenuma/machine@^0.1.0: workspace packages are "workspace:*", npm packages an exact version`,
      `yaml@^2.0.0: workspace packages are "workspace:*", npm packages an exact version`,
    ]);
  });
});
