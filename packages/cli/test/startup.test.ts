// The command line's start-up path (issue 12): what main.ts loads before a command runs (help,
// listings, flag errors) must stay light. Walks the static imports from main.ts, through the
// workspace packages' source entry points, and fails if a heavy module is reached.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const HEAVY =
  /^(zod|yaml|bullmq|ioredis|marked|cli-progress)$|^@balancenuma\/(kernel|mm-[\w-]+|sched-fair|vmstat|userspace|arch-x86-pgtable)$|^@balancenuma\/(series|workloads)$/;

/** Static value imports of a TypeScript file (type-only imports and `import()` are left out). */
function staticImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/gm)].map((m) => m[1]);
}

/** A workspace package's source file for a specifier (its exports' @balancenuma/source condition). */
function workspaceSource(spec: string): string | undefined {
  const m = /^(@balancenuma\/[\w-]+)(\/.*)?$/.exec(spec);
  if (!m) return undefined;
  const dir = m[1] === "@balancenuma/series" ? join(root, "series") : join(root, "packages", m[1].slice("@balancenuma/".length));
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { exports: Record<string, { "@balancenuma/source": string }> };
  return join(dir, pkg.exports[`.${m[2] ?? ""}`]["@balancenuma/source"]);
}

/** Every module reached from `entry` by static imports: workspace files walked, npm packages and workspace entry points named. */
function reached(entry: string): Set<string> {
  const seen = new Set<string>();
  const names = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith("node:")) continue;
      if (spec.startsWith(".")) {
        const ts = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
        walk(existsSync(ts) ? ts : resolve(dirname(file), spec));
        continue;
      }
      names.add(spec);
      const src = workspaceSource(spec);
      if (src) walk(src);
    }
  };
  walk(entry);
  return names;
}

describe("start-up", () => {
  const names = reached(join(import.meta.dirname, "../src/main.ts"));

  it("main.ts reaches commander and the light entry points only", () => {
    expect([...names].filter((n) => HEAVY.test(n))).toEqual([]);
    expect(names).toContain("commander");
    expect(names).toContain("@balancenuma/series/steps");
  });

  it("the walk sees a heavy module where one is statically imported", () => {
    expect(reached(join(import.meta.dirname, "../src/run-command.ts"))).toContain("@balancenuma/workloads");
    expect([...reached(join(root, "packages/workloads/src/index.ts"))].filter((n) => HEAVY.test(n))).toContain("@balancenuma/kernel");
  });
});
