/**
 * A step's upstream facts (series/NN-key/upstream.ts) as Markdown: the section PATCH.md carries
 * between the markers below, and the header `balancenuma review` prints first.
 */
import type { CommitId, Diffstat, Step, UpstreamCommit } from "./step.js";

const SECTION_START = "<!-- upstream: generated from this folder's upstream.ts by `pnpm upstream-sections`; edit upstream.ts, not this section -->";
const SECTION_END = "<!-- end upstream -->";

const COMMIT_ID = /^[0-9a-f]{40}$/;

/** True for a full mainline commit id; false for an explicit unknown. Throws on anything else. */
export function isKnownCommit(c: CommitId): c is string {
  if (typeof c !== "string") return false;
  if (!COMMIT_ID.test(c)) throw new Error(`commit id '${c}' is not 40 lowercase hex digits`);
  return true;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** git's summary line: "2 files changed, 10 insertions(+)". */
export function diffstatSummary(d: Diffstat): string {
  const parts = [plural(d.filesChanged, "file changed", "files changed")];
  if (d.insertions) parts.push(plural(d.insertions, "insertion(+)", "insertions(+)"));
  if (d.deletions) parts.push(plural(d.deletions, "deletion(-)", "deletions(-)"));
  return parts.join(", ");
}

function commitLines(c: UpstreamCommit): string[] {
  const out = [
    isKnownCommit(c.commit) ? `- Commit: ${c.commit} (https://git.kernel.org/torvalds/c/${c.commit.slice(0, 12)})` : `- Commit: unknown. ${c.commit.unknown}`,
    `- Subject: ${c.subject}`,
    `- Author: ${c.author}`,
    ...c.tags.map((t) => `- ${t.kind}: ${t.names.join(", ")}`),
    `- Tags read from: ${c.tagsFrom}; Cc: lines left out`,
    `- Posted: ${c.posted.date}, Message-Id \`<${c.posted.messageId}>\` (https://lore.kernel.org/r/${c.posted.messageId}); ${c.posted.where}`,
    `- Files, as counted in ${c.diffstat.from}: ${diffstatSummary(c.diffstat)}`,
    ...c.diffstat.files.map((f) => `  - ${f.path} +${f.added} -${f.removed}`),
    ...c.notes.map((n) => `- Note: ${n}`),
  ];
  return out;
}

/** The "Upstream" section of a step, without the PATCH.md markers. */
export function upstreamMarkdown(step: Step): string[] {
  const commits = step.upstream;
  const out = ["## Upstream", ""];
  if (commits.length === 1) {
    out.push("Merged for Linux 3.8 through the balancenuma-v11 branch (pulled into 3.8-rc1) as:", "", ...commitLines(commits[0]));
  } else {
    out.push(`Merged for Linux 3.8 through the balancenuma-v11 branch (pulled into 3.8-rc1) as ${commits.length} commits, which this step models as one:`);
    commits.forEach((c, i) => out.push("", `### Commit ${i + 1} of ${commits.length}: ${c.subject}`, "", ...commitLines(c)));
  }
  return out;
}

/** PATCH.md with its Upstream section brought up to date (inserted before the first "## " heading when missing). */
export function withUpstreamSection(md: string, step: Step): string {
  const section = [SECTION_START, ...upstreamMarkdown(step), SECTION_END].join("\n");
  const start = md.indexOf(SECTION_START);
  if (start >= 0) {
    const end = md.indexOf(SECTION_END, start);
    if (end < 0) throw new Error(`step ${step.number}: PATCH.md has the upstream start marker but no end marker`);
    return md.slice(0, start) + section + md.slice(end + SECTION_END.length);
  }
  const at = md.indexOf("\n## ");
  if (at < 0) throw new Error(`step ${step.number}: PATCH.md has no "## " section to put the upstream section before`);
  return `${md.slice(0, at + 1)}${section}\n\n${md.slice(at + 1)}`;
}

/** PATCH.md without its generated Upstream section (for readers that print the facts from the data themselves). */
export function withoutUpstreamSection(md: string): string {
  const start = md.indexOf(SECTION_START);
  if (start < 0) return md;
  const end = md.indexOf(SECTION_END, start);
  return (md.slice(0, start) + md.slice(end + SECTION_END.length)).replace(/\n{3,}/g, "\n\n");
}
