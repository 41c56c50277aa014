/**
 * The fuzz driver behind `pnpm fuzz`: its options and the loop over steps that prints how many
 * sequences and syscalls were checked and, on a failure, the shrunk sequence and how to replay it.
 */
import fc from "fast-check";
import { FUZZ_STEPS, stepProperty } from "./model.js";

export interface FuzzOptions {
  runs: number;
  seed: number;
  steps: number[];
  /** At most this many commands per sequence. */
  commands: number;
  /** fast-check's replay path of a failure (printed by a failed run). */
  path?: string;
}

export const FUZZ_USAGE = "usage: pnpm fuzz [--runs N] [--seed S] [--steps 0,24,32,40,45,49] [--commands N] [--path P]";

/** A bad option: the one line to print (exit 2). */
export class FuzzUsageError extends Error {
  override name = "FuzzUsageError";
}

function int(name: string, v: string | undefined, min: number): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v)))
    throw new FuzzUsageError(`${name} takes a whole number of at least ${min}, not '${v ?? ""}'`);
  return Number(v);
}

/** Parse `pnpm fuzz`'s arguments; `defaultSeed` is used when no --seed is given. */
export function parseFuzzArgs(argv: readonly string[], defaultSeed: number): FuzzOptions {
  const o: FuzzOptions = { runs: 100, seed: defaultSeed, steps: [...FUZZ_STEPS], commands: 30 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[++i];
    if (a === "--runs") o.runs = int(a, v, 1);
    else if (a === "--seed") o.seed = int(a, v, 0);
    else if (a === "--commands") o.commands = int(a, v, 1);
    else if (a === "--path") {
      if (v === undefined || !/^\d+(:\d+)*$/.test(v))
        throw new FuzzUsageError(`--path takes the path a failed run printed (numbers joined by ':'), not '${v ?? ""}'`);
      o.path = v;
    } else if (a === "--steps") {
      const steps = (v ?? "").split(",").map((s) => int("--steps", s, 0));
      if (steps.some((s) => s > 49)) throw new FuzzUsageError(`--steps are 0 to 49, not '${v ?? ""}'`);
      o.steps = steps;
    } else throw new FuzzUsageError(`unknown option '${a}'`);
  }
  return o;
}

/** The property checked at one step (stepProperty; a test may give another). */
export type PropertyAt = (step: number, count: (syscalls: number) => void, maxCommands: number) => fc.IProperty<[unknown]>;

/**
 * Check `o.runs` sequences at each step, writing one line per step and the totals. Returns
 * whether every sequence held. The seed of step s is `o.seed + s`, so a replay names the same seed.
 */
export function runFuzz(o: FuzzOptions, write: (s: string) => void, clock: () => number, property: PropertyAt = stepProperty as PropertyAt): boolean {
  let ok = true;
  let totalRuns = 0;
  let totalSyscalls = 0;
  for (const step of o.steps) {
    let syscalls = 0;
    const t0 = clock();
    const gone = `step ${String(step).padStart(2)}: --path ${o.path} no longer replays to a failure (fixed, or a path from other options)\n`;
    let r: fc.RunDetails<[unknown]>;
    try {
      r = fc.check(
        property(step, (n) => (syscalls += n), o.commands),
        { numRuns: o.runs, seed: o.seed + step, path: o.path },
      );
    } catch (e) {
      // A replay path leads through failing sequences only: once the bug is fixed it may lead nowhere.
      if (o.path === undefined || !(e instanceof Error) || !e.message.startsWith("Unable to replay")) throw e;
      write(gone);
      continue;
    }
    if (o.path !== undefined && !r.failed) {
      write(gone);
      continue;
    }
    totalRuns += r.numRuns;
    totalSyscalls += syscalls;
    write(
      `step ${String(step).padStart(2)}: ${r.numRuns} sequences, ${syscalls} syscalls, ${((clock() - t0) / 1000).toFixed(1)} s${r.failed ? "  FAILED" : ""}\n`,
    );
    if (r.failed) {
      ok = false;
      const error = r.errorInstance instanceof Error ? r.errorInstance.message : String(r.errorInstance);
      write(`  shrunk to: ${r.counterexample ? fc.stringify(r.counterexample[0]) : "?"}\n  error: ${error}\n`);
      write(`  replay: pnpm fuzz --steps ${step} --seed ${o.seed} --runs ${o.runs} --commands ${o.commands} --path ${r.counterexamplePath ?? ""}\n`);
    }
  }
  write(`checked ${totalRuns} sequences, ${totalSyscalls} syscalls at steps ${o.steps.join(",")} (seed ${o.seed})${ok ? "" : ": FAILED"}\n`);
  return ok;
}
