import { SERIES, findStep } from "@balancenuma/series";
import { COMMON_METRICS, isCommonMetric, type MetricValue, didYouMean } from "@balancenuma/workloads";
import { stepSuggestion } from "../options.js";
import { PROBE_SECONDS } from "./step-runs.js";
import { UsageError } from "../errors.js";

/**
 * bisect's predicate: `METRIC OP VALUE`, joined with `and` / `or` (and binds tighter) and grouped
 * with parentheses. OP is one of > >= < <= == !=. VALUE is a number, or a number times a reference:
 * `N x base` (the metric at the --good end), `N x step K` / `Nx stepK` (the metric at step K, a
 * number or a key), all with the same seed. See docs/bisect.md.
 */
type Ref = "base" | number;
type Value = { factor: number; ref?: Ref };
export type Expr = { kind: "cmp"; metric: string; op: Op; value: Value } | { kind: "and" | "or"; left: Expr; right: Expr };
type Op = ">" | ">=" | "<" | "<=" | "==" | "!=";

const OPS: Record<Op, (a: number, b: number) => boolean> = {
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
};

const TOKEN = /\s*(?:(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)|(>=|<=|==|!=|>|<|\(|\)|\*)|([A-Za-z_][\w.-]*))/iy;

type Token = { kind: "num" | "op" | "word"; text: string };

function tokenize(text: string, fail: (msg: string) => never): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (;;) {
    const start = TOKEN.lastIndex;
    if (/^\s*$/.test(text.slice(start))) return out;
    const m = TOKEN.exec(text);
    if (!m) fail(`cannot read '${text.slice(start).trim()}'`);
    if (m[1] !== undefined) out.push({ kind: "num", text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: "op", text: m[2] });
    // "1.5x" and "0.5xbase": the factor's x sticks to the word after the number.
    else if (out.at(-1)?.kind === "num" && /^x./i.test(m[3])) out.push({ kind: "word", text: "x" }, { kind: "word", text: m[3].slice(1) });
    else out.push({ kind: "word", text: m[3] });
  }
}

/** Bounds on a predicate's shape: parsing and evaluating recurse once per level and per comparison. */
const MAX_PREDICATE_DEPTH = 32;
const MAX_PREDICATE_COMPARISONS = 256;

/** Parse a predicate; every mistake is a one-line UsageError naming what was expected. */
export function parsePredicate(text: string): Expr {
  const fail = (msg: string): never => {
    throw new UsageError(
      `bad predicate '${text}': ${msg} (form: METRIC OP VALUE [and|or ...], e.g. 'numa_pages_migrated > 0' or 'system > 1.5x step 0'; see docs/bisect.md)`,
    );
  };
  const toks = tokenize(text, fail);
  let i = 0;
  const peek = () => toks[i];
  const next = (what: string) => toks[i++] ?? fail(`expected ${what} at the end`);
  const isWord = (t: Token | undefined, w: string) => t?.kind === "word" && t.text.toLowerCase() === w;

  const stepRef = (ref: string): number => {
    const n = findStep(ref);
    if (n === undefined) fail(`'${ref}' is not a step${stepSuggestion(ref)}; use a number from 0 to ${SERIES.length} or a step key`);
    return n!;
  };
  const value = (): Value => {
    const t = next("a number");
    if (t.kind !== "num") fail(`expected a number, got '${t.text}'`);
    const factor = Number(t.text);
    const x = peek();
    if (!(isWord(x, "x") || (x?.kind === "op" && x.text === "*"))) return { factor };
    i++;
    const r = next("'base' or 'step K' after 'x'");
    if (isWord(r, "base")) return { factor, ref: "base" };
    if (isWord(r, "step")) return { factor, ref: stepRef(next("a step after 'step'").text) };
    const m = r.kind === "word" ? /^step(\d+)$/i.exec(r.text) : null;
    if (m) return { factor, ref: stepRef(m[1]) };
    return fail(`expected 'base' or 'step K' after 'x', got '${r.text}'`);
  };
  let depth = 0;
  let comparisons = 0;
  const comparison = (): Expr => {
    if (peek()?.kind === "op" && peek().text === "(") {
      i++;
      if (++depth > MAX_PREDICATE_DEPTH) fail(`parentheses nest more than ${MAX_PREDICATE_DEPTH} deep`);
      const e = or();
      depth--;
      const close = next("')'");
      if (close.text !== ")") fail(`expected ')', got '${close.text}'`);
      return e;
    }
    if (++comparisons > MAX_PREDICATE_COMPARISONS) fail(`it has more than ${MAX_PREDICATE_COMPARISONS} comparisons`);
    const m = next("a metric name");
    if (m.kind !== "word" || ["and", "or", "x"].includes(m.text.toLowerCase())) fail(`expected a metric name, got '${m.text}'`);
    checkMetricName(m.text);
    const op = next(`a comparison (> >= < <= == !=) after '${m.text}'`);
    if (op.kind !== "op" || !(op.text in OPS)) fail(`expected a comparison (> >= < <= == !=) after '${m.text}', got '${op.text}'`);
    return { kind: "cmp", metric: m.text, op: op.text as Op, value: value() };
  };
  const and = (): Expr => {
    let e = comparison();
    while (isWord(peek(), "and")) {
      i++;
      e = { kind: "and", left: e, right: comparison() };
    }
    return e;
  };
  const or = (): Expr => {
    let e = and();
    while (isWord(peek(), "or")) {
      i++;
      e = { kind: "or", left: e, right: and() };
    }
    return e;
  };
  if (toks.length === 0) fail("it is empty");
  const e = or();
  if (i < toks.length) fail(`unexpected '${toks[i].text}' (join comparisons with 'and' or 'or')`);
  return e;
}

const PID_FIELDS = ["local_percent", "user", "system", "remote_gb"];
const PID_METRIC = new RegExp(`^pid(\\d+)\\.(${PID_FIELDS.join("|")})$`);
const SCORE_METRIC = /^score\.[a-z0-9_]+$/;

/** Does checking `name` need the metrics of a probe run (a per-process metric or a workload score)? */
export const needsProbe = (name: string): boolean => PID_METRIC.test(name) || SCORE_METRIC.test(name);

/**
 * Is `name` a metric? Names every report has are checked against the list. Per-process and score
 * names depend on the workload: with `probe` (the metrics of a short run of it, see
 * StepRuns.probeMetrics) a pid<N>.* must name a process it has started by then, and a score.* one of
 * the figures it reports (a workload reporting none so early, perf bench, is checked after its run).
 */
export function checkMetricName(name: string, probe?: { workload: string; metrics: readonly string[] }): void {
  if (isCommonMetric(name)) return;
  const pid = PID_METRIC.test(name);
  const score = SCORE_METRIC.test(name);
  if (probe === undefined ? pid || score : probe.metrics.includes(name)) return;
  if (pid && probe) {
    const pids = [...new Set(probe.metrics.filter((m) => PID_METRIC.test(m)).map((m) => m.slice(3, m.indexOf("."))))];
    throw new UsageError(
      `'${name}' names no process of ${probe.workload}: its processes are pid ${pids.join(", ")} (per-process metrics name a process the workload starts in its first ${PROBE_SECONDS * 1000} simulated ms)`,
    );
  }
  if (score && probe) {
    const scores = probe.metrics.filter((m) => SCORE_METRIC.test(m));
    if (scores.length === 0) return;
    throw new UsageError(`unknown metric '${name}'${didYouMean(name, scores)}; ${probe.workload} reports ${scores.join(", ")}`);
  }
  // A per-process name with a typo after the pid is near that pid's own names.
  const pidPrefix = /^pid\d+\./.exec(name)?.[0];
  const known = [...COMMON_METRICS, ...(probe?.metrics ?? []), ...(pidPrefix ? PID_FIELDS.map((f) => pidPrefix + f) : [])];
  throw new UsageError(
    `unknown metric '${name}'${didYouMean(name, known)}; see 'balancenuma bisect --list-metrics' (e.g. elapsed, system, numa_pages_migrated, local_percent, score.<name>, pid<N>.local_percent)`,
  );
}

/** The metrics a predicate reads, in order of appearance. */
export function predicateMetrics(e: Expr): string[] {
  return [...new Set(e.kind === "cmp" ? [e.metric] : [...predicateMetrics(e.left), ...predicateMetrics(e.right)])];
}

/** The steps a predicate compares against ('base' resolved to the good end). */
export function predicateRefs(e: Expr, base: number): number[] {
  if (e.kind !== "cmp") return [...new Set([...predicateRefs(e.left, base), ...predicateRefs(e.right, base)])];
  return e.value.ref === undefined ? [] : [e.value.ref === "base" ? base : e.value.ref];
}

/**
 * Does the behaviour hold? `metric(name, step)` reads a metric here (step undefined) or at a
 * reference step. A comparison that reads a value that is not a number (a counter the step's kernel
 * does not have, "absent", or a ratio of nothing, "n/a") does not hold, on either side: a behaviour
 * is found only where the numbers show it (docs/bisect.md, "Absent and n/a values").
 */
export function evaluate(e: Expr, base: number, metric: (name: string, step?: number) => MetricValue): boolean {
  if (e.kind !== "cmp") {
    const l = evaluate(e.left, base, metric);
    return e.kind === "and" ? l && evaluate(e.right, base, metric) : l || evaluate(e.right, base, metric);
  }
  const ref = e.value.ref;
  const at = ref === undefined ? e.value.factor : metric(e.metric, ref === "base" ? base : ref);
  const here = metric(e.metric);
  if (typeof here !== "number" || typeof at !== "number") return false;
  return OPS[e.op](here, ref === undefined ? at : e.value.factor * at);
}
