import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { SERIES, featuresAtStep } from "@balancenuma/series";
import { CommandFailure } from "../errors.js";

/** The repository root (series/ and packages/ beside each other), found upwards from this file. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "series", "index.ts")) && existsSync(join(dir, "packages"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new CommandFailure("review reads the source tree (series/ and packages/) and cannot find it above this installation");
    dir = up;
  }
}

/** series/NN-key of step n (1..49). */
export const stepDir = (root: string, n: number): string => join(root, "series", `${String(n).padStart(2, "0")}-${SERIES[n - 1].key}`);

/** Every .ts file under dir, recursively, in name order (node_modules and dist left out). */
export function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return e.name === "node_modules" || e.name === "dist" ? [] : tsFiles(p);
      return e.name.endsWith(".ts") ? [p] : [];
    });
}

export interface SourceFile {
  /** Path relative to the repository root. */
  path: string;
  lines: string[];
}

export function readSources(root: string, files: string[]): SourceFile[] {
  return files.map((f) => ({ path: relative(root, f), lines: readFileSync(f, "utf8").split("\n") }));
}

/** Model sources (packages/<pkg>/src, tests left out) and tests (package src and test folders, series). */
export function modelSources(root: string): { code: SourceFile[]; tests: SourceFile[] } {
  const pkgs = readdirSync(join(root, "packages")).sort();
  const src = pkgs.flatMap((p) => tsFiles(join(root, "packages", p, "src")));
  const test = [...src, ...pkgs.flatMap((p) => tsFiles(join(root, "packages", p, "test"))), ...tsFiles(join(root, "series"))].filter((f) => f.endsWith(".test.ts"));
  return { code: readSources(root, src.filter((f) => !f.endsWith(".test.ts"))), tests: readSources(root, test) };
}

/** The titles of a test file's it("...") cases, in order. */
export function testTitles(text: string): string[] {
  return [...text.matchAll(/\bit(?:\.each\([^)]*\))?\(\s*(["'`])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2]);
}

/** Lines of code shown either side of a line that reads a gate. */
export const CONTEXT = 3;

/** Fields of Features whose value step n changes, with old and new values. */
export function gateChanges(n: number): [string, string, string][] {
  const before = featuresAtStep(n - 1) as unknown as Record<string, unknown>;
  const after = featuresAtStep(n) as unknown as Record<string, unknown>;
  return Object.keys(after)
    .filter((g) => JSON.stringify(before[g]) !== JSON.stringify(after[g]))
    .map((g) => [g, JSON.stringify(before[g]), JSON.stringify(after[g])]);
}

/** Lines of model code reading a gate (`features.<gate>`, `f.<gate>`), comments left out. */
export function codeSites(gate: string, code: SourceFile[]): { path: string; line: number; lines: string[] }[] {
  const read = new RegExp(`\\b(?:features|f)\\.${gate}\\b`);
  const out: { path: string; line: number; lines: string[] }[] = [];
  for (const f of code)
    f.lines.forEach((l, i) => {
      if (read.test(l) && !/^\s*(\*|\/\/)/.test(l)) out.push({ path: f.path, line: i + 1, lines: f.lines });
    });
  return out;
}
