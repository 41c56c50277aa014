/**
 * Reading a workload file and saying everything that is wrong with it: YAML/JSON syntax errors,
 * then every schema problem, one line each as `file:line:col: field.path: what is wrong, got X`, at
 * most MAX_PROBLEMS lines. Union types are reported inside the branch the value was clearly meant
 * for, enums list their values, and near misses get a "did you mean".
 *
 * yaml and zod (spec.ts's schema) load on the first file or spec checked, not with the package:
 * a command that reads no workload file does not pay for them at start-up.
 */
import type { Document, LineCounter } from "yaml";
import type { z } from "zod";
import { WorkloadError } from "@balancenuma/userspace";
import type { WorkloadSpec } from "./spec.js";
import { didYouMean } from "./suggest.js";
import { formatPath } from "./field-path.js";

type Yaml = typeof import("yaml");

/** Problems listed at most; the rest are counted. */
const MAX_PROBLEMS = 20;

/** One problem: where (field path, and line/column in the file when known) and what. */
export interface Problem {
  path: string;
  message: string;
  line?: number;
  col?: number;
}

/** A WorkloadError with one line per problem (`source:line:col: path: message`), MAX_PROBLEMS at most. */
export function problemsError(source: string, problems: readonly Problem[]): WorkloadError {
  // In the order they appear in the file; problems with no position keep theirs, after those.
  const sorted = problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || (a.p.col ?? 0) - (b.p.col ?? 0) || a.i - b.i)
    .map(({ p }) => p);
  const lines = [
    ...new Set(sorted.map((p) => `${source}${p.line === undefined ? "" : `:${p.line}:${p.col}`}: ${p.path === "" ? "" : `${p.path}: `}${p.message}`)),
  ];
  const shown = lines.slice(0, MAX_PROBLEMS);
  if (lines.length > shown.length) shown.push(`${source}: and ${lines.length - shown.length} more problem${lines.length - shown.length > 1 ? "s" : ""}`);
  return new WorkloadError(shown.join("\n"));
}

/** Where a field path is in the file: line and column (1-based) of the value, or of `key` in it. */
export type Locate = (path: readonly PropertyKey[], key?: string) => { line: number; col: number } | undefined;

/** Parse a workload file's text (YAML, of which JSON is a subset) and validate it. */
export async function parseWorkloadFile(text: string, source = "workload file"): Promise<WorkloadSpec> {
  // yaml is a CommonJS package: its default export is module.exports, in Node and in the bundled command alike.
  const { default: yaml } = await import("yaml");
  const lc = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const syntax = (message: string, pos?: number): Problem => ({
    path: "",
    message: `not valid YAML or JSON: ${message.split("\n")[0]}`,
    ...(pos === undefined ? {} : lc.linePos(pos)),
  });
  if (doc.errors.length > 0)
    throw problemsError(
      source,
      doc.errors.map((e) => syntax(e.message, e.pos[0])),
    );
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw problemsError(source, [syntax((e as Error).message)]);
  }
  if (value === null || value === undefined)
    throw problemsError(source, [{ path: "", message: "the file is empty; a workload needs at least 'name' and 'processes'" }]);
  return validateSpec(value, source, locator(yaml, doc, lc));
}

/** Validate a parsed document; throws (rejects with) a WorkloadError listing every problem with its field path. */
export async function validateSpec(doc: unknown, source = "workload file", locate: Locate = () => undefined): Promise<WorkloadSpec> {
  const { workloadSpecSchema } = await import("./spec.js");
  const r = workloadSpecSchema.safeParse(doc, { reportInput: true });
  if (r.success) return { ...r.data, source };
  const issues = r.error.issues;
  // A phase with an unknown field says so; "expected exactly one of ..." would only repeat it.
  const unknownAt = new Set(issues.filter((i) => i.code === "unrecognized_keys").map((i) => formatPath(i.path)));
  const kept = issues.filter((i) => !(i.code === "custom" && i.params?.phaseKinds && unknownAt.has(formatPath(i.path))));
  throw problemsError(
    source,
    kept.flatMap((i) => issueProblems(i, locate)),
  );
}

type Issue = z.core.$ZodIssue;

/** The problem lines of one zod issue. */
function issueProblems(issue: Issue, locate: Locate): Problem[] {
  const at = (message: string, key?: string): Problem => ({ path: formatPath(issue.path), message, ...locate(issue.path, key) });
  const input: unknown = issue.input;
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.message.split("\n").map((m, i) => at(m, issue.keys[i]));
    case "invalid_union": {
      // A discriminated union (a policy's mode) whose discriminator matched no option.
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator !== undefined && options !== undefined) {
        const values = options.map(String);
        const got = typeof input === "object" && input !== null ? (input as Record<string, unknown>)[discriminator] : undefined;
        return [
          at(
            got === undefined
              ? `missing, expected one of ${values.join(", ")}`
              : `expected one of ${values.join(", ")}, got ${showValue(got)}${typeof got === "string" ? didYouMean(got, values) : ""}`,
          ),
        ];
      }
      // The branch the value was meant for: the one that accepted its type and failed inside.
      const meant = issue.errors.find((branch) => !branch.every((i) => i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value")));
      if (meant) return meant.flatMap((i) => issueProblems({ ...i, path: [...issue.path, ...i.path] }, locate));
      const literals = issue.errors.flat().flatMap((i) => (i.code === "invalid_value" ? i.values.map(String) : []));
      return [at(`expected ${describeUnion(issue.path)}, got ${showValue(input)}${typeof input === "string" ? didYouMean(input, literals) : ""}`)];
    }
    case "invalid_value": {
      const values = issue.values.map((v) => (typeof v === "string" ? v : String(v)));
      const expected = values.length === 1 ? showValue(issue.values[0]) : `one of ${values.join(", ")}`;
      return [
        at(
          input === undefined
            ? `missing, expected ${expected}`
            : `expected ${expected}, got ${showValue(input)}${typeof input === "string" ? didYouMean(input, values) : ""}`,
        ),
      ];
    }
    case "invalid_type": {
      const expected = issue.message.startsWith("Invalid input") ? `expected ${issue.expected}` : issue.message;
      return [at(input === undefined ? `missing, ${expected}` : `${expected}, got ${showValue(input)}`)];
    }
    case "custom":
      return [at(issue.message)];
    default:
      return [at(input === undefined ? issue.message : `${issue.message}, got ${showValue(input)}`)];
  }
}

/** What a union field takes, by the field's name. */
function describeUnion(path: readonly PropertyKey[]): string {
  const last = String(path[path.length - 1]);
  if (last === "cpus" || last === "affinity") return `"all", a list of CPU ids or {nodes: [...]}`;
  if (last === "slice") return `"thread" or {index, of}`;
  if (last === "size") return "a size like 4096, 512M or 1.5G";
  if (last === "loops") return `a whole number of passes or "forever"`;
  return "another kind of value";
}

/** A value as the user wrote it, short. */
function showValue(v: unknown): string {
  if (typeof v === "string") return `'${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v === null) return "null";
  const json = JSON.stringify(v) ?? typeof v;
  return json.length > 40 ? `${json.slice(0, 40)}...` : json;
}

/** Find a field path in the YAML document, down to the deepest part that exists. */
function locator({ isMap, isScalar, isSeq }: Yaml, doc: Document, lc: LineCounter): Locate {
  return (path, key) => {
    let node: unknown = doc.contents;
    for (const p of path) {
      const next = isMap(node) ? node.get(p, true) : isSeq(node) && typeof p === "number" ? node.get(p, true) : undefined;
      if (next === undefined || next === null) break;
      node = next;
    }
    let at = node;
    if (key !== undefined && isMap(node)) at = node.items.find((it) => isScalar(it.key) && String(it.key.value) === key)?.key ?? node;
    const range = (at as { range?: [number, number, number] } | null)?.range;
    return range ? lc.linePos(range[0]) : undefined;
  };
}
