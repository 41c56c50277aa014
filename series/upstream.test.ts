import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SERIES, isKnownCommit, upstreamMarkdown, withUpstreamSection, withoutUpstreamSection } from "./index.js";
import type { Step } from "./step.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const tsvPath = join(here, "..", "..", "shared", "series.tsv");
const patchMd = (s: Step) => join(here, `${String(s.number).padStart(2, "0")}-${s.key}`, "PATCH.md");

describe("upstream facts of the steps", () => {
  it("every step names its merged commit(s): a 40-hex id or an unknown with its reason, never the same id twice", () => {
    const ids: string[] = [];
    for (const s of SERIES) {
      expect(s.upstream.length, `step ${s.number}`).toBeGreaterThan(0);
      for (const c of s.upstream) {
        if (isKnownCommit(c.commit)) ids.push(c.commit);
        else expect(c.commit.unknown.length, `step ${s.number}: an unknown commit needs its reason`).toBeGreaterThan(20);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(() => isKnownCommit("4fd01770")).toThrow(/40 lowercase hex/);
  });

  it("subject and author agree with the step (and so with series.tsv); tags, posting and diffstat are complete", () => {
    for (const s of SERIES) {
      const first = s.upstream[0];
      // Step 45's title says that the build fix is folded in; the commit's subject does not.
      expect(first.subject, `step ${s.number}`).toBe(s.title.replace(/ \(with its build fix folded in\)$/, ""));
      expect(first.author, `step ${s.number}`).toBe(s.author);
      for (const c of s.upstream) {
        const where = `step ${s.number} ${c.subject}`;
        expect(c.tags.length, where).toBeGreaterThan(0);
        for (const t of c.tags) {
          expect(t.kind, where).toMatch(/^[A-Z][A-Za-z]*(-[A-Za-z]+)*-[Bb]y$/);
          expect(t.names.length, where).toBeGreaterThan(0);
        }
        expect(
          c.tags.some((t) => t.kind === "Signed-off-by"),
          where,
        ).toBe(true);
        expect(c.posted.messageId, where).toMatch(/^[^<>\s]+@[^<>\s]+$/);
        expect(c.posted.date, where).toMatch(/\b(2011|2012)\b/);
        const d = c.diffstat;
        expect(d.files.length, where).toBe(d.filesChanged);
        expect(
          d.files.reduce((a, f) => a + f.added, 0),
          `${where}: insertions`,
        ).toBe(d.insertions);
        expect(
          d.files.reduce((a, f) => a + f.removed, 0),
          `${where}: deletions`,
        ).toBe(d.deletions);
        expect(new Set(d.files.map((f) => f.path)).size, `${where}: a file listed twice`).toBe(d.files.length);
        for (const f of d.files) expect(f.added + f.removed, `${where}: ${f.path}`).toBeGreaterThan(0);
      }
    }
  });

  it.runIf(existsSync(tsvPath))("the first commit's subject and author match shared/series.tsv", () => {
    const [, ...rows] = readFileSync(tsvPath, "utf8").trim().split("\n");
    rows.forEach((row, i) => {
      const [, , title, author] = row.split("\t");
      expect(SERIES[i].upstream[0].subject).toBe(title.replace(/ \(with its build fix folded in\)$/, ""));
      expect(SERIES[i].upstream[0].author).toBe(author);
    });
  });

  it("every PATCH.md carries its Upstream section exactly as generated from the data (run 'pnpm upstream-sections' after editing upstream.ts)", () => {
    for (const s of SERIES) {
      const md = readFileSync(patchMd(s), "utf8");
      expect(withUpstreamSection(md, s), `step ${s.number}: run 'pnpm upstream-sections'`).toBe(md);
    }
  });

  it("the section shows a known id with its link, an unknown with its reason, every file of the diffstat and git's summary line", () => {
    const known = upstreamMarkdown(SERIES[25]).join("\n"); // step 26
    expect(known).toContain("- Commit: cbee9f88ec1b8dd6b58f25f54e4f52c82ed77690 (https://git.kernel.org/torvalds/c/cbee9f88ec1b)");
    expect(known).toContain("11 files changed, 224 insertions(+), 4 deletions(-)");
    expect(known).toContain("  - kernel/sysctl.c +22 -2");
    expect(known).toContain("- Acked-by: Rik van Riel");
    expect(known).toContain("Message-Id `<1354875832-9700-26-git-send-email-mgorman@suse.de>`");
    const unknown = upstreamMarkdown(SERIES[1]).join("\n"); // step 2
    expect(unknown).toMatch(/^- Commit: unknown\. Not found in .+\.$/m);
    expect(unknown).toContain("1 file changed, 8 insertions(+), 1 deletion(-)");
    const two = upstreamMarkdown(SERIES[44]).join("\n"); // step 45: two commits
    expect(two).toContain("### Commit 1 of 2: mm: numa: Add THP migration for the NUMA working set scanning fault case.");
    expect(two).toContain("### Commit 2 of 2: mm: numa: Add THP migration for the NUMA working set scanning fault case build fix");
  });

  it("inserts the section before the first '## ' heading, replaces it in place, and can strip it", () => {
    const s = SERIES[0];
    const bare = "# 01 title\n\nIntro.\n\n## What changes\n- x\n";
    const once = withUpstreamSection(bare, s);
    expect(once.indexOf("## Upstream")).toBeLessThan(once.indexOf("## What changes"));
    expect(once.indexOf("Intro.")).toBeLessThan(once.indexOf("## Upstream"));
    expect(withUpstreamSection(once, s)).toBe(once);
    const stale = once.replace("Raz Ben Yehuda", "someone else");
    expect(withUpstreamSection(stale, s)).toBe(once);
    expect(withoutUpstreamSection(once)).toBe(bare);
    expect(() => withUpstreamSection("# no sections\n", s)).toThrow(/no "## " section/);
  });
});
