import { InvalidArgumentError } from "commander";
import { SERIES } from "@balancenuma/series/steps";
import { checkList } from "../../options.js";

/** One run of a sweep. */
export interface Cell {
  step: number;
  workload: string;
  /** As given to --machines: a preset name or a topology spec. */
  machine: string;
  seed: number;
}

/** The run options every cell of a sweep shares (a resumed or merged sweep must use the same). */
export interface CellArgs {
  seconds?: number;
  scale?: number;
  /** Seconds between memory samples (--sample-every; default 1). */
  sampleEvery?: number;
  thp: "always" | "madvise" | "never";
  /** Steps every kernel is built without (--revert), ascending; a cell's kernel leaves out those up to its step. */
  revert?: number[];
}

/** One line of results.jsonl. */
export interface CellResult<R = unknown> extends Cell {
  args: CellArgs;
  report: R;
}

/** --steps: numbers and ranges, e.g. "0-49" or "0,10-12,49". */
export function parseSteps(v: string): number[] {
  const out = new Set<number>();
  for (const part of v.split(",").map((s) => s.trim())) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const [a, b] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
    if (!m || a > b || b > SERIES.length)
      throw new InvalidArgumentError(`'${v}' is not a list of steps; use numbers and ranges from 0 to ${SERIES.length}, e.g. 0-49 or 0,26,49`);
    for (let s = a; s <= b; s++) out.add(s);
  }
  return [...out].sort((x, y) => x - y);
}

/**
 * --machines: presets separated by commas ("default,vega"). A topology spec has commas of its own, so
 * a value with '=' is one spec, and several specs are separated by ';' ("default;nodes=2,cpus=2,mem=128M").
 */
export function parseMachines(v: string): string[] {
  return checkList(
    "machines",
    v,
    (v.includes(";") ? v.split(";") : v.includes("=") ? [v] : v.split(",")).map((s) => s.trim()),
  );
}

export interface Shard {
  index: number;
  count: number;
}

/** --shard i/n: the i-th of n shares (1 <= i <= n). */
export function parseShard(v: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || count < 1 || index < 1 || index > count) throw new InvalidArgumentError(`'${v}' is not a shard; use i/n with 1 <= i <= n, e.g. 2/4`);
  return { index, count };
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The output order: step, workload, machine, seed. */
export function compareCells(a: Cell, b: Cell): number {
  return a.step - b.step || byName(a.workload, b.workload) || byName(a.machine, b.machine) || a.seed - b.seed;
}

export function buildMatrix(steps: number[], workloads: string[], machines: string[], seeds: number[]): Cell[] {
  const cells = steps.flatMap((step) =>
    workloads.flatMap((workload) => machines.flatMap((machine) => seeds.map((seed) => ({ step, workload, machine, seed })))),
  );
  return cells.sort(compareCells);
}

/** Shard i/n takes every n-th cell of the sorted matrix from the i-th: the shares partition it and mix steps, so they take similar time. */
export function shardCells(cells: Cell[], shard: Shard | undefined): Cell[] {
  return shard ? cells.filter((_, i) => i % shard.count === shard.index - 1) : cells;
}

export const cellKey = (c: Cell): string => `${c.step}|${c.workload}|${c.machine}|${c.seed}`;

/** A file name for a cell: readable, and distinct for distinct cells (the machine spec percent-encoded). */
export const cellFileName = (c: Cell): string =>
  `step${String(c.step).padStart(2, "0")}-${encodeURIComponent(c.workload)}-${encodeURIComponent(c.machine)}-seed${c.seed}.json`;

export const describeCell = (c: Cell): string => `step ${c.step} ${c.workload} on ${c.machine} seed ${c.seed}`;
