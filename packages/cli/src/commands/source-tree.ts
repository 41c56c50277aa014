import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { SERIES, featuresAtStep } from "@balancenuma/series";
import { CLI_PACKAGE_DIR } from "../package-dir.js";

/** A @balancenuma package as this command finds it: where its files are and its folder in the repository. */
export interface ModelPackage {
  name: string;
  dir: string;
  /** The path review shows: its folder in the repository (e.g. packages/mm-memory), or its name in an installation. */
  repoPath: string;
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

/** The workspace (the folder with pnpm-workspace.yaml) a package folder lies in, if it is in one and not installed under node_modules. */
function workspaceOf(dir: string): string | null {
  if (dir.split(/[\\/]/).includes("node_modules")) return null;
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, "pnpm-workspace.yaml"))) return d;
    if (dirname(d) === d) return null;
  }
}

/**
 * The @balancenuma packages this command runs, found by module resolution from its own package and
 * its dependencies: the repository's folders (through pnpm's links) or an npm installation's
 * node_modules alike. Each ships its sources (tests left out), which review reads.
 */
export function modelPackages(): ModelPackage[] {
  const found = new Map<string, ModelPackage>();
  const visit = (dir: string): void => {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
    if (found.has(manifest.name)) return;
    const workspace = workspaceOf(dir);
    found.set(manifest.name, { name: manifest.name, dir, repoPath: workspace ? relative(workspace, dir).split("\\").join("/") : manifest.name });
    const require = createRequire(join(dir, "package.json"));
    for (const dep of Object.keys(manifest.dependencies ?? {})) if (dep.startsWith("@balancenuma/")) visit(dirname(require.resolve(`${dep}/package.json`)));
  };
  visit(CLI_PACKAGE_DIR);
  return [...found.values()].sort((a, b) => (a.repoPath < b.repoPath ? -1 : a.repoPath > b.repoPath ? 1 : 0));
}

const seriesPackage = (pkgs: ModelPackage[]): ModelPackage => pkgs.find((p) => p.name === "@balancenuma/series")!;

/** The folder of step n (1..49) in the series package: its directory, and its path in the repository. */
export function stepDir(n: number, pkgs: ModelPackage[] = modelPackages()): { dir: string; repoPath: string } {
  const series = seriesPackage(pkgs);
  const folder = `${String(n).padStart(2, "0")}-${SERIES[n - 1].key}`;
  return { dir: join(series.dir, folder), repoPath: `${series.repoPath}/${folder}` };
}

/** Every .ts file under dir, recursively, in name order (node_modules and dist left out). */
function tsFiles(dir: string): string[] {
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
  /** Path in the repository (packages/<pkg>/src/..., series/...). */
  path: string;
  lines: string[];
}

const sourceFile = (pkg: ModelPackage, file: string): SourceFile => ({
  path: `${pkg.repoPath}/${relative(pkg.dir, file).split("\\").join("/")}`,
  lines: readFileSync(file, "utf8").split("\n"),
});

/**
 * Model sources (each package's src, tests left out) and tests (package src and test folders, the
 * series). An npm installation ships no tests: `tests` is then empty.
 */
export function modelSources(pkgs: ModelPackage[] = modelPackages()): { code: SourceFile[]; tests: SourceFile[] } {
  const packages = pkgs.filter((p) => p !== seriesPackage(pkgs));
  const files = (p: ModelPackage, sub: string) => tsFiles(join(p.dir, sub)).map((f) => [p, f] as const);
  const src = packages.flatMap((p) => files(p, "src"));
  const test = [...src, ...packages.flatMap((p) => files(p, "test")), ...files(seriesPackage(pkgs), "")].filter(([, f]) => f.endsWith(".test.ts"));
  return {
    code: src.filter(([, f]) => !f.endsWith(".test.ts")).map(([p, f]) => sourceFile(p, f)),
    tests: test.map(([p, f]) => sourceFile(p, f)),
  };
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
