import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { marked } from "marked";
import { SERIES, upstreamMarkdown, withoutUpstreamSection, stepName } from "@balancenuma/series";
import { formatMetric, reportMetrics, type MetricValue } from "@balancenuma/workloads";
import { CONTEXT, codeSites, gateChanges, modelPackages, modelSources, stepDir, type ModelPackage, type SourceFile } from "../commands/source-tree.js";
import type { Manifest, Result } from "../commands/sweep/store.js";
import { describeArgs } from "../commands/sweep/store.js";
import { escapeXml } from "./svg.js";

/** An SVG plot: its file under DIR/plots/ and its text (inlined in the pages, so they work alone from file://). */
export interface Plot {
  file: string;
  svg: string;
}

export interface ReportInput {
  manifest: Manifest;
  results: Result[];
  /** Metric-versus-step plots. */
  metricPlots: Plot[];
  /** Per-cell plots (memory per node, convergence), by results index. */
  cellPlots: Plot[][];
}

/** Columns of the results tables. */
const TABLE_METRICS = ["elapsed", "throughput_gb_s", "system", "local_percent", "numa_hint_faults", "numa_pages_migrated", "convergence_mean"];

const stepPage = (n: number): string => `step-${String(n).padStart(2, "0")}.html`;

const STYLE = `body{font-family:sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;display:block;overflow-x:auto;max-width:100%}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}
td.l{text-align:left}nav a{margin-right:1em}pre{background:#f6f6f6;padding:.5em;overflow-x:auto}
.plots svg{max-width:100%;height:auto;display:block;margin:.5em 0}code{background:#f3f3f3}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeXml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
}

const fmt = (v: MetricValue | undefined) => (v === undefined ? "" : formatMetric(v, (n) => (Number.isInteger(n) ? String(n) : n.toFixed(3))));

function resultsTable(rows: Result[], withStep: boolean): string {
  const head = [...(withStep ? ["step"] : []), "workload", "machine", "seed", ...TABLE_METRICS];
  const body = rows.map((r) => {
    const m = reportMetrics(r.report);
    const cells = [
      ...(withStep ? [`<a href="${stepPage(r.step)}">${r.step}</a>`] : []),
      escapeXml(r.workload),
      escapeXml(r.machine),
      String(r.seed),
      ...TABLE_METRICS.map((n) => fmt(m.get(n))),
    ];
    return `<tr>${cells.map((c, i) => (head[i] === "workload" || head[i] === "machine" ? `<td class="l">${c}</td>` : `<td>${c}</td>`)).join("")}</tr>`;
  });
  return `<table>\n<tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join("")}</tr>\n${body.join("\n")}\n</table>`;
}

const stepTitle = (n: number) => `Step ${n}: ${stepName(n)}`;

/** Markdown to HTML, its headings one level down (under the page's h1 and the section's h2). */
const markdownBelow = (md: string) => marked.parse(md.replace(/^(#+) /gm, "#$1 "), { async: false });

/** The review part of a step's page: its upstream commit, its changelog (PATCH.md), the gates it changes and the code reading them. */
function reviewSection(n: number, pkgs: ModelPackage[], code: SourceFile[]): string {
  if (n === 0) return `<p>Linux 3.7-rc6 as the series found it: no patch applied.</p>`;
  // From the step's data, so the page has it even when the changelog cannot be read.
  const out: string[] = [markdownBelow(upstreamMarkdown(SERIES[n - 1]).join("\n"))];
  const file = join(stepDir(n, pkgs).dir, "PATCH.md");
  const md = existsSync(file) ? readFileSync(file, "utf8") : null;
  // The changelog's own title repeats the page's, and its upstream section is shown above.
  out.push(
    md === null
      ? `<p>Author: ${escapeXml(SERIES[n - 1].author)}. (PATCH.md is not available in this installation.)</p>`
      : markdownBelow(withoutUpstreamSection(md).replace(/^# .*\n/, "")),
  );
  const gates = gateChanges(n);
  out.push("<h2>Gates</h2>");
  out.push(
    gates.length
      ? `<table>\n<tr><th>gate</th><th>before</th><th>after</th></tr>\n${gates.map(([g, a, b]) => `<tr><td><code>${escapeXml(g)}</code></td><td>${escapeXml(a)}</td><td>${escapeXml(b)}</td></tr>`).join("\n")}\n</table>`
      : "<p>This step changes no gate.</p>",
  );
  if (gates.length) {
    out.push("<h2>Code reading the gates</h2>");
    for (const [g] of gates)
      for (const site of codeSites(g, code)) {
        const from = Math.max(1, site.line - CONTEXT);
        const lines = site.lines
          .slice(from - 1, site.line + CONTEXT)
          .map((l, i) => `${from + i === site.line ? ">" : " "}${String(from + i).padStart(5)}  ${l}`);
        out.push(`<p><code>${escapeXml(g)}</code> at ${escapeXml(site.path)}:${site.line}</p>\n<pre>${escapeXml(lines.join("\n"))}</pre>`);
      }
  }
  return out.join("\n");
}

/** This step's runs beside the same runs (workload, machine, seed) at the sweep's previous step; changed values marked. */
function deltaTableHtml(rows: Result[], previous: Result[], prevStep: number): string {
  const key = (r: Result) => `${r.workload}\0${r.machine}\0${r.seed}`;
  const before = new Map(previous.map((r) => [key(r), reportMetrics(r.report)]));
  const out: string[] = [];
  for (const r of rows) {
    const a = before.get(key(r));
    if (!a) continue;
    const b = reportMetrics(r.report);
    const cells = TABLE_METRICS.map((m) => {
      const changed = fmt(a.get(m)) !== fmt(b.get(m));
      return `<tr><td class="l">${changed ? "<b>" + escapeXml(m) + "</b> *" : escapeXml(m)}</td><td>${fmt(a.get(m))}</td><td>${fmt(b.get(m))}</td></tr>`;
    });
    out.push(
      `<h3>${escapeXml(r.workload)} on ${escapeXml(r.machine)}, seed ${r.seed}</h3>\n<table>\n<tr><th>metric</th><th>step ${prevStep}</th><th>this step</th></tr>\n${cells.join("\n")}\n</table>`,
    );
  }
  return out.length ? out.join("\n") : "<p>The sweep has no run of the previous step to compare with.</p>";
}

/** "0-12,26,40-49": a sorted list of steps as ranges. */
function stepRanges(steps: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < steps.length; ) {
    let j = i;
    while (j + 1 < steps.length && steps[j + 1] === steps[j] + 1) j++;
    out.push(j > i ? `${steps[i]}-${steps[j]}` : String(steps[i]));
    i = j + 1;
  }
  return out.join(",");
}

/** index.html and one page per step: the report of a sweep, self-contained (no network, works from file://). */
export function renderReport(input: ReportInput): Map<string, string> {
  const { manifest: m, results } = input;
  const files = new Map<string, string>();
  const steps = [...new Set(results.map((r) => r.step))].sort((a, b) => a - b);
  const settings = `<p>${results.length} runs: steps ${stepRanges(m.steps)}; workloads ${escapeXml(m.workloads.join(", "))}; machines ${escapeXml(m.machines.join("; "))}; seeds ${escapeXml(m.seeds.join(","))}; <code>${escapeXml(describeArgs(m.args))}</code>.
Data: <a href="../results.csv">results.csv</a>, <a href="../results.jsonl">results.jsonl</a>.</p>`;
  const stepList = steps.map((n) => `<li><a href="${stepPage(n)}">${escapeXml(stepTitle(n))}</a></li>`).join("\n");
  files.set(
    "index.html",
    page(
      "balancenuma sweep",
      `<h1>balancenuma sweep</h1>\n${settings}\n<h2>Metrics by step</h2>\n<div class="plots">\n${input.metricPlots.map((p) => p.svg).join("\n")}</div>\n<h2>Steps</h2>\n<ul>\n${stepList}\n</ul>\n<h2>All runs</h2>\n${resultsTable(results, true)}`,
    ),
  );
  const pkgs = modelPackages();
  const code = modelSources(pkgs).code;
  steps.forEach((n, i) => {
    const idx = results.map((r, j) => (r.step === n ? j : -1)).filter((j) => j >= 0);
    const delta =
      i > 0
        ? `<h2>Behaviour delta from step ${steps[i - 1]}</h2>\n${deltaTableHtml(
            idx.map((j) => results[j]),
            results.filter((r) => r.step === steps[i - 1]),
            steps[i - 1],
          )}\n`
        : "";
    const nav = [
      `<a href="index.html">index</a>`,
      i > 0 ? `<a href="${stepPage(steps[i - 1])}">previous: step ${steps[i - 1]}</a>` : "",
      i < steps.length - 1 ? `<a href="${stepPage(steps[i + 1])}">next: step ${steps[i + 1]}</a>` : "",
    ]
      .filter(Boolean)
      .join("\n");
    const plots = idx
      .map(
        (j) =>
          `<h3>${escapeXml(results[j].workload)} on ${escapeXml(results[j].machine)}, seed ${results[j].seed}</h3>\n<div class="plots">\n${input.cellPlots[j].map((p) => p.svg).join("\n")}</div>`,
      )
      .join("\n");
    files.set(
      stepPage(n),
      page(
        stepTitle(n),
        `<nav>${nav}</nav>\n<h1>${escapeXml(stepTitle(n))}</h1>\n<h2>Review</h2>\n${reviewSection(n, pkgs, code)}\n${delta}<h2>Results</h2>\n${resultsTable(
          idx.map((j) => results[j]),
          false,
        )}\n<h2>Plots</h2>\n${plots}`,
      ),
    );
  });
  return files;
}
