/**
 * `pnpm fuzz [--runs N] [--seed S] [--steps 0,24,...] [--commands N] [--path P]`: random syscall
 * sequences against the kernel at each step (series/fuzz/model.ts), as many as asked. Prints how
 * many sequences and syscalls it checked per step; on a failure, the shrunk sequence, the error
 * and the command that replays it. Exit code 0 when every sequence held, 1 on a failure, 2 on a
 * bad option.
 */
import fc from "fast-check";
import { FUZZ_STEPS, stepProperty } from "./model.js";

interface Options {
  runs: number;
  seed: number;
  steps: number[];
  commands: number;
  path?: string;
}

function usage(msg: string): never {
  process.stderr.write(`pnpm fuzz: ${msg}\nusage: pnpm fuzz [--runs N] [--seed S] [--steps 0,24,32,40,45,49] [--commands N] [--path P]\n`);
  process.exit(2);
}

function int(name: string, v: string | undefined, min: number): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < min) usage(`${name} takes a whole number of at least ${min}, not '${v ?? ""}'`);
  return Number(v);
}

function parse(argv: string[]): Options {
  const o: Options = { runs: 100, seed: Date.now() % 2 ** 31, steps: [...FUZZ_STEPS], commands: 30 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[++i];
    if (a === "--runs") o.runs = int(a, v, 1);
    else if (a === "--seed") o.seed = int(a, v, 0);
    else if (a === "--commands") o.commands = int(a, v, 1);
    else if (a === "--path") o.path = v ?? usage("--path takes the path printed by a failed run");
    else if (a === "--steps") {
      const steps = (v ?? "").split(",").map((s) => int("--steps", s, 0));
      if (steps.some((s) => s > 49)) usage("--steps are 0 to 49");
      o.steps = steps;
    } else usage(`unknown option '${a}'`);
  }
  return o;
}

const o = parse(process.argv.slice(2));
let failed = false;
let totalRuns = 0;
let totalSyscalls = 0;
for (const step of o.steps) {
  let syscalls = 0;
  let runs = 0;
  const t0 = performance.now();
  const seed = o.seed + step;
  const r = fc.check(
    stepProperty(step, (n) => {
      syscalls += n;
      runs++;
    }, o.commands),
    { numRuns: o.runs, seed, path: o.path },
  );
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  totalRuns += r.numRuns;
  totalSyscalls += syscalls;
  process.stdout.write(`step ${String(step).padStart(2)}: ${r.numRuns} sequences, ${syscalls} syscalls, ${secs} s${r.failed ? "  FAILED" : ""}\n`);
  if (r.failed) {
    failed = true;
    process.stdout.write(`  shrunk to: ${r.counterexample ? fc.stringify(r.counterexample[0]) : ""}\n  error: ${r.errorInstance instanceof Error ? r.errorInstance.message : String(r.errorInstance)}\n`);
    process.stdout.write(`  replay: pnpm fuzz --steps ${step} --seed ${o.seed} --runs ${o.runs} --commands ${o.commands} --path '${r.counterexamplePath ?? ""}'\n`);
  }
  void runs;
}
process.stdout.write(`checked ${totalRuns} sequences, ${totalSyscalls} syscalls at steps ${o.steps.join(",")} (seed ${o.seed})\n`);
process.exit(failed ? 1 : 0);
