/**
 * The names of the built-in workloads, without the workloads: what help texts, flag checks and
 * suggestions need, light enough to load at a command line's start-up
 * (`@balancenuma/workloads/names`). The registry in builtins.ts is typed against
 * BuiltinWorkloadName, so a name without a workload, or a workload without a name here, does not
 * compile.
 */
export { didYouMean } from "./suggest.js";

/** The four autonumabench tests, each also built with HARD_BIND and INVERSE_BIND. */
export const AUTONUMA_TESTS = ["numa01", "numa01-threadlocal", "numa02", "numa02-smt"] as const;
export type AutonumaTest = (typeof AUTONUMA_TESTS)[number];

/** What each autonumabench build adds to the test's name. */
const BIND_SUFFIX = { none: "", hard: "-hard-bind", inverse: "-inverse-bind" } as const;
export type AutonumaBind = keyof typeof BIND_SUFFIX;
export const AUTONUMA_BINDS = Object.keys(BIND_SUFFIX) as AutonumaBind[];

/** An autonumabench build's workload name: "numa02", "numa01-hard-bind", ... */
export const autonumaName = <T extends AutonumaTest, B extends AutonumaBind>(test: T, bind: B): `${T}${(typeof BIND_SUFFIX)[B]}` =>
  `${test}${BIND_SUFFIX[bind]}`;

/** Every built-in workload, in the order `balancenuma workloads` lists them. */
export const BUILTIN_WORKLOAD_NAMES = [
  "remote-memory",
  "private-halves",
  ...AUTONUMA_TESTS.flatMap((t) => AUTONUMA_BINDS.map((b) => autonumaName(t, b))),
  "perf-numa-mem",
  "specjbb",
  "pft",
  "kbuild",
  "stream",
] as const;
export type BuiltinWorkloadName = (typeof BUILTIN_WORKLOAD_NAMES)[number];
