/**
 * What each workspace package imports, split as its package.json must declare it: the files its
 * build compiles (tsconfig.build.json's files and what they import by relative path) need
 * `dependencies`; every other file (tests, test helpers, benches) `devDependencies`.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import ts from "typescript";

export interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface PackageImports {
  dir: string;
  manifest: Manifest;
  /** Packages the shipped code imports (each with a file that does). */
  prod: Map<string, string>;
  /** Packages only the other files import. */
  dev: Map<string, string>;
}

const BUILTIN = new Set(builtinModules);

/** The package a bare import specifier names ("@scope/name/sub" -> "@scope/name"), or null for a relative path or a Node builtin. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return null;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  return BUILTIN.has(name) ? null : name;
}

const importsOf = (file: string): string[] => ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);

/** Source files of a package (TypeScript and JavaScript), node_modules and dist left out. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name === "dist" || e.name.startsWith(".") ? [] : sourceFiles(p);
    return /\.(ts|mts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** The files tsconfig.build.json compiles: its own list plus whatever those import by relative path. */
function buildFiles(dir: string): Set<string> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(dir, "tsconfig.build.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  )!;
  const files = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file) || !existsSync(file)) return;
    files.add(file);
    for (const spec of importsOf(file)) if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
  };
  config.fileNames.forEach((f) => {
    visit(resolve(f));
  });
  return files;
}

export function packageImports(packageDir: string): PackageImports {
  const dir = resolve(packageDir);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
  const shipped = buildFiles(dir);
  const prod = new Map<string, string>();
  const dev = new Map<string, string>();
  for (const file of sourceFiles(dir)) {
    const into = shipped.has(file) ? prod : dev;
    for (const spec of importsOf(file)) {
      const pkg = packageOf(spec);
      if (pkg !== null && pkg !== manifest.name && !into.has(pkg)) into.set(pkg, file);
    }
  }
  for (const pkg of prod.keys()) dev.delete(pkg);
  return { dir, manifest, prod, dev };
}

/** A declared `@types/x` is in use when x is imported. */
const typesFor = (pkg: string): string | null => (pkg.startsWith("@types/") ? pkg.slice(7).replace(/^(.*)__/, "@$1/") : null);

/** What is wrong with a package's declared dependencies, one line each (empty when nothing is). */
export function dependencyProblems({ manifest, prod, dev }: PackageImports): string[] {
  const deps = manifest.dependencies ?? {};
  const devDeps = manifest.devDependencies ?? {};
  // A declared @types/x is in use where x is imported; as a devDependency, wherever x is (the build needs it).
  const used = (pkg: string, imports: Map<string, string>) =>
    imports.has(pkg) || imports.has(typesFor(pkg) ?? "") || (imports === dev && prod.has(typesFor(pkg) ?? ""));
  const problems: string[] = [];
  for (const [pkg, file] of prod) if (!(pkg in deps)) problems.push(`${pkg} is imported by ${file} (shipped code) but not in dependencies`);
  for (const [pkg, file] of dev)
    if (!(pkg in devDeps) && !(pkg in deps)) problems.push(`${pkg} is imported by ${file} (tests or tools) but not in devDependencies`);
  for (const pkg of Object.keys(deps))
    if (!used(pkg, prod))
      problems.push(`dependency ${pkg} is not imported by the shipped code${dev.has(pkg) ? " (only by tests or tools: make it a devDependency)" : ""}`);
  for (const pkg of Object.keys(devDeps)) if (!used(pkg, dev)) problems.push(`devDependency ${pkg} is not imported by the tests or tools`);
  for (const [pkg, range] of Object.entries({ ...deps, ...devDeps })) {
    if (pkg.startsWith("@balancenuma/") ? range !== "workspace:*" : !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(range))
      problems.push(`${pkg}@${range}: workspace packages are "workspace:*", npm packages an exact version`);
  }
  return problems;
}
