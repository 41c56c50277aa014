import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { RunReport } from "@balancenuma/workloads";
import { UsageError } from "../../errors.js";
import { cellFileName, cellKey, compareCells, type Cell, type CellArgs, type CellResult } from "./matrix.js";

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
export function writeDurable(path: string, text: string): void {
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

export function readManifest(dir: string): Manifest | null {
  if (!existsSync(manifestPath(dir))) return null;
  try {
    return JSON.parse(readFileSync(manifestPath(dir), "utf8")) as Manifest;
  } catch {
    throw new UsageError(`'${manifestPath(dir)}' is not a sweep manifest; use another --out directory`);
  }
}

export function writeManifest(dir: string, m: Manifest): void {
  writeDurable(manifestPath(dir), JSON.stringify(m, null, 2) + "\n");
}

export const sameArgs = (a: CellArgs, b: CellArgs): boolean => JSON.stringify(a) === JSON.stringify(b);

export const describeArgs = (a: CellArgs): string =>
  `--seconds ${a.seconds ?? "(workload's own)"} --thp ${a.thp}${a.scale === undefined ? "" : ` --scale ${a.scale}`}`;

export function saveCell(dir: string, line: string, cell: Cell): void {
  writeDurable(join(dir, "cells", cellFileName(cell)), line + "\n");
}

/** The finished cells of a directory; unreadable files (there should be none) count as unfinished. */
export function loadCells(dir: string): Map<string, { line: string; result: Result }> {
  const out = new Map<string, { line: string; result: Result }>();
  const cells = join(dir, "cells");
  if (!existsSync(cells)) return out;
  for (const f of readdirSync(cells).filter((n) => n.endsWith(".json")).sort()) {
    const line = readFileSync(join(cells, f), "utf8").trim();
    try {
      const result = JSON.parse(line) as Result;
      out.set(cellKey(result), { line, result });
    } catch {
      // Not written by writeDurable (a copy cut short?): run the cell again.
    }
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
      try {
        return { line, result: JSON.parse(line) as Result };
      } catch {
        throw new UsageError(`'${path}' line ${i + 1} is not JSON; it is not a sweep's results.jsonl`);
      }
    });
}

export const sortResults = <T extends { result: Result }>(rows: T[]): T[] => [...rows].sort((a, b) => compareCells(a.result, b.result));
