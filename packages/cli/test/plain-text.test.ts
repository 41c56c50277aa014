import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";
import { headingPairs, jargon } from "./plain-text.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const SKIP = new Set(["node_modules", "dist", ".git", ".turbo", "results", "out"]);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    if (SKIP.has(e)) return [];
    const p = join(dir, e);
    return statSync(p).isDirectory() ? markdownFiles(p) : p.endsWith(".md") ? [p] : [];
  });
}

describe("text users read", () => {
  it("the checks find a heading directly under a heading and private jargon", () => {
    expect(headingPairs("# A\n\n## B\ntext\n", "x.md")).toEqual(["x.md:1: heading directly followed by '## B'"]);
    expect(headingPairs("# A\ntext\n## B\n```\n# not a heading\n## in code\n```\ntext\n", "x.md")).toEqual([]);
    expect(jargon("see the fact sheet\nas step-deltas says\nREAD in the mail\nnever marked (inferred)\nPROT_READ, WRITE", "y")).toEqual([
      "y:1: fact sheet",
      "y:2: step-deltas",
      "y:3: READ marker",
      "y:4: bare (inferred) marker: say what it was deduced from",
    ]);
  });

  it("no Markdown file of the repository has a heading directly under a heading or private jargon", () => {
    const files = markdownFiles(root);
    expect(files.length).toBeGreaterThan(60);
    const problems = files.flatMap((f) => {
      const name = relative(root, f);
      const text = readFileSync(f, "utf8");
      // changesets writes each CHANGELOG.md in its own format: package, version and kind of change as
      // headings one under another.
      return [...(basename(f) === "CHANGELOG.md" ? [] : headingPairs(text, name)), ...jargon(text, name)];
    });
    expect(problems).toEqual([]);
  });

  it("neither has the review of the whole series, nor one step's review with its behaviour delta", async () => {
    const all = await cli(["review", "--all", "--no-runs"]);
    expect(all.code).toBe(0);
    const one = await cli(["review", "30", "--workloads", "remote-memory", "--seconds", "1"]);
    expect(one.code).toBe(0);
    for (const [name, text] of [
      ["review --all", all.out],
      ["review 30", one.out],
    ] as const) {
      expect([...headingPairs(text, name), ...jargon(text, name)]).toEqual([]);
    }
  });
});
