/**
 * The command outputs the documentation shows are what the commands print. A fenced block marked
 * `console` holds commands (lines starting `$ pnpm bn` or `$ balancenuma`) each followed by its
 * standard output; a line `...` in the output stands for any number of lines. Every such block in
 * README.md, docs/ and the package READMEs is run here, so documented output cannot drift.
 * Every command line of a `sh` block (`pnpm bn`, `pnpm start`, `balancenuma`) goes through the
 * CLI's own parser, so a renamed flag or a value it no longer takes fails here; the listings run.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../src/main.js";
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

/**
 * The CLI's arguments of every `sh` block line that runs it, continuation lines joined, from its
 * first word to a comment, redirection or pipe. Synopses (`[--seconds S]`, `DIR1 DIR2 ...`) are not
 * commands and are left out; an environment variable stands for a 1.
 */
export function shCommands(text: string): { line: number; command: string; args: string[] }[] {
  const lines = text.split("\n");
  const out: { line: number; command: string; args: string[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "```sh") continue;
    for (i++; i < lines.length && lines[i].trim() !== "```"; i++) {
      const first = i;
      let command = lines[i];
      while (command.endsWith("\\") && i + 1 < lines.length) command = command.slice(0, -1) + lines[++i].trim();
      // Cut at an unquoted comment, redirection, pipe or command separator.
      let quote: string | null = null;
      let end = command.length;
      for (let c = 0; c < command.length && end === command.length; c++) {
        const ch = command[c];
        if (quote) quote = ch === quote ? null : quote;
        else if (ch === "'" || ch === '"') quote = ch;
        else if ((ch === "#" && /\s/.test(command[c - 1] ?? " ")) || ch === ">" || ch === "|" || ch === ";" || ch === "&") end = c;
      }
      command = command.slice(0, end).trim();
      const words = shellWords(command.replace(/\$\{?\w+\}?/g, "1"));
      const start = words[0] === "balancenuma" ? 1 : words[0] === "pnpm" && words[1] === "bn" ? 2 : words[0] === "pnpm" && words[1] === "start" ? 2 : -1;
      if (start < 0 || /\[|\.\.\./.test(command)) continue;
      out.push({ line: first + 1, command, args: words[1] === "start" ? ["run", ...words.slice(2)] : words.slice(start) });
    }
  }
  return out;
}

/** Parse a command line as the CLI does, running nothing: the parser's complaint, or null. */
export function parseError(args: string[]): string | null {
  const dd = args.indexOf("--");
  let err = "";
  const program = buildProgram({ out: () => {}, err: (s) => (err += s), isTTY: false }, dd < 0 ? [] : args.slice(dd + 1), args);
  const mute = (c: Command): void => {
    c.action(() => {});
    c.commands.forEach(mute);
  };
  program.commands.forEach(mute);
  try {
    program.parse(dd < 0 ? args : args.slice(0, dd), { from: "user" });
    return null;
  } catch (e) {
    const exitCode = (e as { exitCode?: number }).exitCode;
    return exitCode === 0 ? null : `${(e as Error).message}${err ? ` (${err.trim()})` : ""}`;
  }
}

/** Listings that print at once; the sh lines running these are run, not just parsed. */
const CHEAP = new Set(["series", "workloads", "machines"]);

const root = join(import.meta.dirname, "../../..");
const markdown = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(root, "packages"))
    .map((p) => `packages/${p}/README.md`)
    .filter((f) => {
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

  it.each(examples.map((e) => [`${e.file}:${e.line}: ${e.command}`, e] as const))("%s", async (_, e) => {
    const words = shellWords(e.command);
    const start = words[0] === "balancenuma" ? 1 : words[0] === "pnpm" && words[1] === "bn" ? 2 : -1;
    expect(start, `${e.file}:${e.line}: a console block command must start with 'pnpm bn' or 'balancenuma'`).toBeGreaterThan(0);
    const r = await cli(words.slice(start));
    expect(r.code).toBe(0);
    const actual = r.out.replace(/\n$/, "").split("\n");
    const expected = e.output.join("\n").replace(/\n+$/, "").split("\n");
    if (!matchesOutput(actual, expected)) expect(actual.join("\n")).toBe(expected.join("\n"));
  });
});

const shLines = markdown.flatMap((f) => shCommands(readFileSync(join(root, f), "utf8")).map((c) => ({ ...c, file: f })));

describe("documented command lines", () => {
  it("the docs show commands in sh blocks", () => {
    expect(shLines.length).toBeGreaterThan(30);
  });

  it.each(shLines.map((c) => [`${c.file}:${c.line}: ${c.command}`, c] as const))("%s", async (_, c) => {
    expect(parseError(c.args)).toBeNull();
    if (CHEAP.has(c.args[0])) expect((await cli(c.args)).code).toBe(0);
  });
});

describe("the sh block reader", () => {
  it("takes command lines, joins continuations, drops comments, redirections and synopses", () => {
    const md = [
      "```sh",
      "pnpm bn run --step 0 --json > run.json   # a comment",
      "pnpm bn sweep --steps 0-1 \\",
      '  --jobs "$JOBS" --out d',
      "pnpm bn run [--seconds S]",
      "ls -l",
      "pnpm start",
      "```",
    ].join("\n");
    expect(shCommands(md).map((c) => [c.line, c.args])).toEqual([
      [2, ["run", "--step", "0", "--json"]],
      [3, ["sweep", "--steps", "0-1", "--jobs", "1", "--out", "d"]],
      [7, ["run"]],
    ]);
  });

  it("finds an unknown flag or a bad value with the CLI's parser, and runs nothing", () => {
    expect(parseError(["run", "--step", "49", "-w", "numa02", "--seconds", "5"])).toBeNull();
    expect(parseError(["run", "--bogus"])).toMatch(/unknown option '--bogus'/);
    expect(parseError(["run", "--seconds", "soon"])).not.toBeNull();
    expect(parseError(["compare", "0", "49", "--seeds", "5-1"])).not.toBeNull();
    expect(parseError(["nonsense"])).not.toBeNull();
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
