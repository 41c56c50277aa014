/**
 * The command outputs the documentation shows are what the commands print. A fenced block marked
 * `console` holds commands (lines starting `$ pnpm bn` or `$ balancenuma`) each followed by its
 * standard output; a line `...` in the output stands for any number of lines. Every such block in
 * README.md, docs/ and the package READMEs is run here, so documented output cannot drift.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

/** Split a command line as a POSIX shell would for words and quotes (no expansions). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unclosed ${c} in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === "\\" && i + 1 < line.length) word = (word ?? "") + line[++i];
    else if (c === " " || c === "\t") {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? "") + c;
  }
  if (word !== null) words.push(word);
  return words;
}

/** Does `actual` match `expected`, where an expected line "..." matches any run of lines? */
export function matchesOutput(actual: string[], expected: string[]): boolean {
  const go = (a: number, e: number): boolean => {
    if (e === expected.length) return a === actual.length;
    if (expected[e] === "...") return go(a, e + 1) || (a < actual.length && go(a + 1, e));
    return a < actual.length && actual[a] === expected[e] && go(a + 1, e + 1);
  };
  return go(0, 0);
}

interface Example {
  file: string;
  line: number;
  command: string;
  output: string[];
}

/** Every `console` block's commands with their documented output. */
function consoleExamples(file: string): Example[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "```console") continue;
    let current: Example | null = null;
    for (i++; i < lines.length && lines[i].trim() !== "```"; i++) {
      if (lines[i].startsWith("$ ")) {
        current = { file, line: i + 1, command: lines[i].slice(2), output: [] };
        out.push(current);
      } else if (current) current.output.push(lines[i]);
    }
  }
  return out;
}

const root = join(import.meta.dirname, "../../..");
const markdown = [
  "README.md",
  ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`),
  ...readdirSync(join(root, "packages")).map((p) => `packages/${p}/README.md`).filter((f) => {
    try {
      readFileSync(join(root, f));
      return true;
    } catch {
      return false;
    }
  }),
];
const examples = markdown.flatMap((f) => consoleExamples(join(root, f)).map((e) => ({ ...e, file: f })));

describe("documented command output", () => {
  it("the docs show at least one command with its output", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((e) => [`${e.file}:${e.line}: ${e.command}`, e] as const))("%s", (_, e) => {
    const words = shellWords(e.command);
    const start = words[0] === "balancenuma" ? 1 : words[0] === "pnpm" && words[1] === "bn" ? 2 : -1;
    expect(start, `${e.file}:${e.line}: a console block command must start with 'pnpm bn' or 'balancenuma'`).toBeGreaterThan(0);
    const r = cli(words.slice(start));
    expect(r.code).toBe(0);
    const actual = r.out.replace(/\n$/, "").split("\n");
    const expected = e.output.join("\n").replace(/\n+$/, "").split("\n");
    if (!matchesOutput(actual, expected)) expect(actual.join("\n")).toBe(expected.join("\n"));
  });
});

describe("the output matcher", () => {
  it("splits words as a shell does and lets '...' stand for any lines", () => {
    expect(shellWords(`bn bisect 'numa_pages_migrated > 0' -- "a b" c\\ d`)).toEqual(["bn", "bisect", "numa_pages_migrated > 0", "--", "a b", "c d"]);
    expect(matchesOutput(["a", "b", "c"], ["a", "...", "c"])).toBe(true);
    expect(matchesOutput(["a", "c"], ["a", "...", "c"])).toBe(true);
    expect(matchesOutput(["a", "b", "x"], ["a", "...", "c"])).toBe(false);
    expect(matchesOutput(["a", "b"], ["a"])).toBe(false);
  });
});
