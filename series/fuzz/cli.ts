/**
 * `pnpm fuzz [--runs N] [--seed S] [--steps 0,24,...] [--commands N] [--path P]` (series/fuzz/run.ts).
 * Exit code 0 when every sequence held, 1 on a failure, 2 on a bad option. Without --seed the seed
 * comes from the clock (and is printed, so any run can be repeated).
 */
import { FUZZ_USAGE, FuzzUsageError, parseFuzzArgs, runFuzz } from "./run.js";

try {
  const o = parseFuzzArgs(process.argv.slice(2), Date.now() % 2 ** 31);
  const ok = runFuzz(
    o,
    (s) => process.stdout.write(s),
    () => performance.now(),
  );
  process.exitCode = ok ? 0 : 1;
} catch (e) {
  if (!(e instanceof FuzzUsageError)) throw e;
  process.stderr.write(`pnpm fuzz: ${e.message}\n${FUZZ_USAGE}\n`);
  process.exitCode = 2;
}
