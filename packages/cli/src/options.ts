// The light entry points only: the parsers run at start-up, before any command loads the model.
import { didYouMean } from "@balancenuma/workloads/names";
import { InvalidArgumentError } from "commander";
import { SERIES, findStep } from "@balancenuma/series/steps";
import { parseDecimal } from "@balancenuma/machine";

/** Parse --step: a number 0..N or a step key from the series. */
export function parseStep(v: string): number {
  const n = findStep(v);
  if (n !== undefined) return n;
  throw new InvalidArgumentError(`'${v}' is not a step${stepSuggestion(v)}; use a number from 0 to ${SERIES.length} or a step key (see 'balancenuma series')`);
}

/** --revert: steps to leave out of the kernel, numbers or keys separated by commas ("40", "40,two-stage-filter"); ascending. */
export function parseRevert(v: string): number[] {
  const out = v.split(",").map((part) => {
    const n = findStep(part.trim());
    if (n === undefined || n === 0)
      throw new InvalidArgumentError(
        `'${part.trim()}' is not a step to revert${stepSuggestion(part.trim())}; give steps 1 to ${SERIES.length} (numbers or keys) separated by commas, e.g. 40 or 40,41`,
      );
    return n;
  });
  if (new Set(out).size !== out.length) throw new InvalidArgumentError(`'${v}' names a step twice; name each step once`);
  return out.sort((a, b) => a - b);
}

/** " (did you mean 'pmd-numa-migrate'?)" for a near miss of a step key, else "". */
export const stepSuggestion = (v: string): string =>
  /^\d+$/.test(v)
    ? ""
    : didYouMean(
        v,
        SERIES.map((s) => s.key),
      );

export function parseSeed(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new InvalidArgumentError(`'${v}' is not a seed; use a whole number from 0 to 4294967295`);
  return Number(v);
}

/** At most this many seeds in one list (each is a whole run per step). */
const MAX_SEEDS = 1000;

/** --seeds: seeds and ranges separated by commas, e.g. "1,2,3", "1-10" or "1-5,42". */
export function parseSeeds(v: string): number[] {
  const out: number[] = [];
  for (const part of v.split(",").map((s) => s.trim())) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const [lo, hi] = [parseSeed(range[1]), parseSeed(range[2])];
      if (hi < lo) throw new InvalidArgumentError(`'${part}' is an empty range of seeds; write the smaller seed first, e.g. 1-10`);
      if (hi - lo + 1 + out.length > MAX_SEEDS) throw new InvalidArgumentError(`'${v}' names more than ${MAX_SEEDS} seeds; use fewer`);
      for (let s = lo; s <= hi; s++) out.push(s);
    } else if (part === "")
      throw new InvalidArgumentError(`'${v}' is not a list of seeds; use whole numbers and ranges separated by commas, e.g. 1,2,3 or 1-10`);
    else out.push(parseSeed(part));
  }
  if (out.length > MAX_SEEDS) throw new InvalidArgumentError(`'${v}' names more than ${MAX_SEEDS} seeds; use fewer`);
  if (new Set(out).size !== out.length) throw new InvalidArgumentError(`'${v}' names a seed twice; give each seed once`);
  return out;
}

export function parseSeconds(v: string): number {
  const n = parseDecimal(v);
  if (!(n > 0 && n <= 36000)) throw new InvalidArgumentError(`'${v}' is not a duration; use decimal seconds, more than 0 and at most 36000`);
  return n;
}

/** --sample-every: seconds between memory samples, 0.01 to 3600 (a run keeps every sample in its report). */
export function parseSampleEvery(v: string): number {
  const n = parseDecimal(v);
  if (!(n >= 0.01 && n <= 3600)) throw new InvalidArgumentError(`'${v}' is not a sample interval; use decimal seconds from 0.01 to 3600, e.g. 0.5`);
  return n;
}

/** Collect repeated --sysctl name=value. */
export function collectSysctl(v: string, prev: Record<string, number>): Record<string, number> {
  const eq = v.indexOf("=");
  const name = v.slice(0, eq).trim();
  const value = v.slice(eq + 1).trim();
  if (eq <= 0 || !/^-?\d+$/.test(value)) throw new InvalidArgumentError(`'${v}' is not name=value with a whole-number value (e.g. vm.min_free_kbytes=65536)`);
  return { ...prev, [name]: Number(value) };
}

export function parseThp(v: string): "always" | "madvise" | "never" {
  if (v === "always" || v === "madvise" || v === "never") return v;
  throw new InvalidArgumentError(`'${v}' is not a THP mode; use always, madvise or never`);
}

/** --scale: a positive number (1 = the workload's original sizes), or a fraction like 1/8. */
export function parseScale(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/(\d+(?:\.\d+)?))?$/.exec(v.trim());
  const n = m ? Number(m[1]) / (m[2] === undefined ? 1 : Number(m[2])) : NaN;
  if (!Number.isFinite(n) || n <= 0 || n > 64)
    throw new InvalidArgumentError(`'${v}' is not a scale; use a number above 0 and at most 64, e.g. 1, 0.25 or 1/8`);
  return n;
}

/** A list of names, each given once and none empty. */
export function checkList(what: string, v: string, names: string[]): string[] {
  if (names.some((n) => n === "")) throw new InvalidArgumentError(`'${v}' is not a list of ${what}; separate names with commas`);
  if (new Set(names).size !== names.length) throw new InvalidArgumentError(`'${v}' names one of the ${what} twice; give each once`);
  return names;
}

/** A comma-separated list of names, each once. */
export const parseNames =
  (what: string) =>
  (v: string): string[] =>
    checkList(
      what,
      v,
      v.split(",").map((s) => s.trim()),
    );

/** A file or directory name: not empty (an empty name would mean the current directory, or fail only after a run). */
export function parsePath(v: string): string {
  if (v.trim() === "") throw new InvalidArgumentError("the name is empty; give a file or directory name");
  return v;
}
