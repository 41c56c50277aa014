import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { RunReport } from "@balancenuma/workloads";
import { UsageError } from "../../errors.js";
import { cellFileName, cellKey, compareCells, type Cell, type CellArgs, type CellResult } from "./matrix.js";
import { isNumberList, isObject, isRunReport, isStringList } from "../saved-report.js";

/**
 * A sweep directory:
 *
 * - `sweep.json`: the matrix and the shared run options;
 * - `cells/`: one file per finished cell, holding its results.jsonl line. Each is written to a temp
 *   file, fsynced and renamed, so a cell file is complete or absent, never torn: resuming skips
 *   exactly the cells with a file, whatever killed the sweep;
 * - `results.jsonl`, `results.csv`, `plots/`, `report/`: derived from `cells/` (sorted by step,
 *   workload, machine, seed) when the sweep ends or on resume; each file written atomically.
 */
export interface Manifest {
  steps: number[];
  workloads: string[];
  machines: string[];
  seeds: number[];
  args: CellArgs;
}

export type Result = CellResult<RunReport>;

/** Write a file completely or not at all, and durably: temp file, fsync, rename. */
function writeDurable(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot create directory '${dir}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

const manifestPath = (dir: string) => join(dir, "sweep.json");

const THP_MODES: readonly unknown[] = ["always", "madvise", "never"];

export function isCellArgs(v: unknown): v is CellArgs {
  return (
    isObject(v) &&
    Object.keys(v).every((k) => ["seconds", "scale", "thp", "sampleEvery", "revert"].includes(k)) &&
    THP_MODES.includes(v.thp) &&
    (v.seconds === undefined || typeof v.seconds === "number") &&
    (v.scale === undefined || typeof v.scale === "number") &&
    (v.sampleEvery === undefined || typeof v.sampleEvery === "number") &&
    (v.revert === undefined || isNumberList(v.revert))
  );
}

const isManifest = (v: unknown): v is Manifest =>
  isObject(v) && isNumberList(v.steps) && isStringList(v.workloads) && isStringList(v.machines) && isNumberList(v.seeds) && isCellArgs(v.args);

export const isCell = (v: unknown): v is Cell =>
  isObject(v) && typeof v.step === "number" && typeof v.workload === "string" && typeof v.machine === "string" && typeof v.seed === "number";

/** A results.jsonl line or cell file's content, if it has the shape of one. */
function asResult(v: unknown): Result | undefined {
  return isObject(v) && isCell(v) && isCellArgs(v.args) && isRunReport(v.report) ? (v as unknown as Result) : undefined;
}

/** The sweep.json of a directory (null if it has none); one that is not a manifest is a usage error. */
export function readManifest(dir: string): Manifest | null {
  if (!existsSync(manifestPath(dir))) return null;
  const bad = () =>
    new UsageError(`'${manifestPath(dir)}' is not a sweep manifest (steps, workloads, machines, seeds, args); it was not written by 'balancenuma sweep'`);
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(manifestPath(dir), "utf8"));
  } catch {
    throw bad();
  }
  if (!isManifest(m)) throw bad();
  return m;
}

export function writeManifest(dir: string, m: Manifest): void {
  writeDurable(manifestPath(dir), JSON.stringify(m, null, 2) + "\n");
}

const revertOf = (a: CellArgs): string => (a.revert ?? []).join(",");

export const sameArgs = (a: CellArgs, b: CellArgs): boolean =>
  a.thp === b.thp && a.seconds === b.seconds && a.scale === b.scale && a.sampleEvery === b.sampleEvery && revertOf(a) === revertOf(b);

export const describeArgs = (a: CellArgs): string =>
  `--seconds ${a.seconds ?? "(workload's own)"} --thp ${a.thp}${a.scale === undefined ? "" : ` --scale ${a.scale}`}${a.sampleEvery === undefined ? "" : ` --sample-every ${a.sampleEvery}`}${a.revert?.length ? ` --revert ${revertOf(a)}` : ""}`;

export function saveCell(dir: string, line: string, cell: Cell): void {
  writeDurable(join(dir, "cells", cellFileName(cell)), line + "\n");
}

const parseResult = (line: string): Result | undefined => {
  try {
    return asResult(JSON.parse(line));
  } catch {
    return undefined;
  }
};

/**
 * The finished cells of a directory, each checked against the run options `args`: a cell run with
 * other options is a usage error (sweep.json may be missing or replaced, the cells still say how
 * they were run). Unreadable files (there should be none) count as unfinished.
 */
export function loadCells(dir: string, args: CellArgs): Map<string, { line: string; result: Result }> {
  const out = new Map<string, { line: string; result: Result }>();
  const cells = join(dir, "cells");
  if (!existsSync(cells)) return out;
  for (const f of readdirSync(cells)
    .filter((n) => n.endsWith(".json"))
    .sort()) {
    const line = readFileSync(join(cells, f), "utf8").trim();
    // Not written by writeDurable (a copy cut short?): run the cell again.
    const result = parseResult(line);
    if (!result) continue;
    if (!sameArgs(result.args, args))
      throw new UsageError(
        `'${join(cells, f)}' was run with ${describeArgs(result.args)}, not ${describeArgs(args)}; resume with the same options or use another --out`,
      );
    out.set(cellKey(result), { line, result });
  }
  return out;
}

/** Lines of a results.jsonl; a bad line is a usage error naming the file and line. */
export function loadResultsFile(path: string): { line: string; result: Result }[] {
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`'${path}' does not exist; give sweep directories (with results.jsonl) to merge`);
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((line, i) => {
      const result = parseResult(line);
      if (!result)
        throw new UsageError(
          `'${path}' line ${i + 1} is not a sweep result { step, workload, machine, seed, args, report }; it is not a sweep's results.jsonl`,
        );
      return { line, result };
    });
}

export const sortResults = <T extends { result: Result }>(rows: T[]): T[] => [...rows].sort((a, b) => compareCells(a.result, b.result));
