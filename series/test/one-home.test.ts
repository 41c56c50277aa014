/**
 * One home per function: a top-level function's name is defined in one file of the tree. A second
 * definition is almost always a copied kernel helper (the next `put_page` or `vma_migratable`) that
 * belongs in include-linux; the few names that really are two things are listed with the reason.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Names defined twice on purpose, with the files that define them. */
const TWO_THINGS: Record<string, { files: string[]; why: string }> = {
  taskNumaFault: {
    files: ["packages/include-linux/src/sched.ts", "packages/sched-fair/src/numa.ts"],
    why: "include/linux/sched.h's task_numa_fault (an empty inline without CONFIG_NUMA_BALANCING) calling kernel/sched/fair.c's",
  },
  sweep: {
    files: ["packages/cli/src/commands/sweep.ts", "packages/userspace/src/program.ts"],
    why: "the `sweep` command and the user-space loop that sweeps a buffer",
  },
};

const DEFINITION =
  /^(?:export\s+)?(?:async\s+)?(?:function\*?\s+([A-Za-z_$][\w$]*)|const\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>)/;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** Every top-level function (declarations and arrow-function constants) by name, with the files defining it. */
export function topLevelFunctions(root: string): Map<string, string[]> {
  const files = [...readdirSync(join(root, "packages")).map((p) => join(root, "packages", p)), join(root, "series")].flatMap((d) => sourceFiles(d));
  const homes = new Map<string, string[]>();
  for (const file of files) {
    const rel = relative(root, file);
    // Tests' helpers and fixtures may repeat small things; the model and the tools may not.
    if (/(^|\/)test\//.test(rel)) continue;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const m = DEFINITION.exec(line);
      const name = m?.[1] ?? m?.[2];
      if (name) homes.set(name, [...(homes.get(name) ?? []), rel]);
    }
  }
  return homes;
}

describe("one home per function", () => {
  const homes = topLevelFunctions(ROOT);

  it("finds the tree's functions (the scan itself works)", () => {
    expect(homes.get("migrateMisplacedPage")).toEqual(["packages/mm-migrate/src/misplaced.ts"]);
    expect(homes.size).toBeGreaterThan(500);
  });

  it("no top-level function name is defined in two files, apart from the listed ones", () => {
    const sorted = (files: readonly string[] | undefined) => JSON.stringify([...(files ?? [])].sort());
    const twice = [...homes].filter(([name, files]) => files.length > 1 && sorted(files) !== sorted(TWO_THINGS[name]?.files));
    expect(Object.fromEntries(twice)).toEqual({});
  });

  it("every listed exception still exists (the list does not go stale)", () => {
    for (const [name, { files }] of Object.entries(TWO_THINGS)) expect([...(homes.get(name) ?? [])].sort(), name).toEqual([...files].sort());
  });
});
