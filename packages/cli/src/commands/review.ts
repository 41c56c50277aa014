import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { findStep, SERIES, upstreamMarkdown, withoutUpstreamSection, stepName, type Claim, type ClaimRun, type Step } from "@balancenuma/series";
import { reportMetrics, type RunReport } from "@balancenuma/workloads";
import { checkWorkloadName } from "../workload-options.js";
import { parseTopology } from "@balancenuma/machine";
import type { Io } from "../io.js";
import { UsageError } from "../errors.js";
import { stepSuggestion } from "../options.js";
import { OutputFile } from "../atomic-write.js";
import { CONTEXT, codeSites, gateChanges, modelPackages, modelSources, stepDir, testTitles, type ModelPackage, type SourceFile } from "./source-tree.js";
import { StepRuns, runProgress, showMetric } from "./step-runs.js";
import { STANDARD_WORKLOADS } from "./review-defaults.js";
import { checkClaim, claimedOn } from "./claims.js";

export interface ReviewFlags {
  all: boolean;
  workloads?: string[];
  topology: string;
  seconds: number;
  thp: "always" | "madvise" | "never";
  seed: number;
  runs: boolean;
  output?: string;
}

/** Counters and metrics always shown in the behaviour delta; other vmstat counters only when they moved. */
const CORE_METRICS = [
  "elapsed",
  "user",
  "system",
  "local_percent",
  "numa_pte_updates",
  "numa_hint_faults",
  "numa_hint_faults_local",
  "numa_pages_migrated",
  "migrated_per_hint_fault",
];
/** What the Tests section says where the packages were installed from npm, which ships no tests. */
const NO_TESTS = "(The installed packages ship no tests; review in a clone of the repository lists them.)";
/** Unit tests listed per gate; a gate read everywhere (CONFIG_NUMA_BALANCING) would list hundreds. */
const MAX_TESTS_PER_GATE = 12;

export function reviewCommand(ref: string | undefined, o: ReviewFlags, io: Io): void {
  const steps = resolveSteps(ref, o.all);
  parseTopology(o.topology);
  const workloads = o.workloads ?? (o.all ? ["remote-memory"] : STANDARD_WORKLOADS);
  for (const w of workloads) checkWorkloadName(w);
  const file = o.output === undefined ? undefined : new OutputFile(o.output, "-o");
  const colour = io.isTTY && o.output === undefined;
  const progress = runProgress(io.isTTY && o.runs, steps.length * workloads.length * 2);
  try {
    const runs = new Map(
      workloads.map((w) => [
        w,
        deltaRuns(w, o, (step) => {
          progress.tick(`${w} step ${step}`);
        }),
      ]),
    );
    const pkgs = modelPackages();
    const sources = modelSources(pkgs);
    const text = steps.map((n) => reviewStep(n, pkgs, sources, o.runs ? runs : null, o, colour)).join("\n\n");
    progress.stop();
    if (!file) {
      io.out(text);
      return;
    }
    file.write(text);
    file.commit();
  } catch (e) {
    file?.abort();
    throw e;
  }
}

function resolveSteps(ref: string | undefined, all: boolean): number[] {
  if (all && ref !== undefined) throw new UsageError("give either a step or --all, not both");
  if (all) return SERIES.map((s) => s.number);
  if (ref === undefined) throw new UsageError("say which step to review: a number from 1 to 49 or a key (see 'balancenuma series'), or --all");
  const n = findStep(ref);
  if (n === undefined)
    throw new UsageError(`'${ref}' is not a step${stepSuggestion(ref)}; use a number from 1 to ${SERIES.length} or a step key (see 'balancenuma series')`);
  if (n === 0) throw new UsageError("step 0 is the baseline (Linux 3.7-rc6) and has no patch to review; use 1 to 49");
  return [n];
}

/** One workload's delta runs: step N-1 and N on the review's machine, duration and THP mode, each run once. */
export function deltaRuns(
  workload: string,
  o: { topology: string; seconds: number; thp: ReviewFlags["thp"] },
  onRun: (step: number) => void = () => {},
): StepRuns {
  const flags = {
    workload,
    topology: o.topology,
    seconds: o.seconds,
    sysctl: {},
    thp: o.thp,
    cmdline: "",
    schedFeatures: [],
    forceNumaBalancingConfig: false,
    schedDebug: true,
    revert: [],
  };
  return new StepRuns(flags, [], undefined, onRun);
}

/** "file: title" for test cases whose body (from their it( line to the next) names the gate. */
function testsMentioning(gate: string, tests: SourceFile[], own: string): string[] {
  const word = new RegExp(`\\b${gate}\\b`);
  const out = new Set<string>();
  for (const f of tests) {
    if (f.path === own) continue;
    let title: string | undefined;
    for (const l of f.lines) {
      const t = testTitles(l)[0];
      if (t !== undefined) title = t;
      if (title !== undefined && word.test(l)) out.add(`${f.path}: ${title}`);
    }
  }
  return [...out];
}

function reviewStep(
  n: number,
  pkgs: ModelPackage[],
  src: { code: SourceFile[]; tests: SourceFile[] },
  runs: Map<string, StepRuns> | null,
  o: ReviewFlags,
  colour: boolean,
): string {
  const { dir, repoPath } = stepDir(n, pkgs);
  const step = SERIES[n - 1];
  const out: string[] = [`# Step ${n} ${stepName(n)}`, ""];
  out.push(`Step ${n} of ${SERIES.length}; v10 patch ${step.v10}; by ${step.author}; model packages: ${step.subsystems.join(", ")}.`, "");
  out.push(...upstreamMarkdown(step), "");
  out.push("## Changelog", "");
  // PATCH.md without its title (this document's) and its upstream section (printed above); its sections go one level down.
  const patch = withoutUpstreamSection(readFileSync(join(dir, "PATCH.md"), "utf8")).replace(/^# .*\n+/, "");
  out.push(`From ${repoPath}/PATCH.md:`, "", patch.trim().replace(/^(#+) /gm, "#$1 "), "");

  const gates = gateChanges(n);
  out.push("## Gates and defaults", "");
  out.push(...(gates.length ? gates.map(([g, a, b]) => `- ${g}: ${a} -> ${b}`) : ["(none: this step changes no gate)"]), "");

  out.push("## Code reading the gates", "");
  out.push(gates.length ? `Each line of the model that reads a changed gate, with ${CONTEXT} lines either side ('>' marks it):` : "(none)", "");
  for (const [g] of gates) {
    const sites = codeSites(g, src.code);
    out.push(`### ${g} (${sites.length} site${sites.length === 1 ? "" : "s"})`, "");
    for (const s of sites) {
      out.push(`${s.path}:${s.line}`, "```ts");
      for (let i = Math.max(1, s.line - CONTEXT); i <= Math.min(s.lines.length, s.line + CONTEXT); i++)
        out.push(`${i === s.line ? ">" : " "}${String(i).padStart(5)}  ${s.lines[i - 1]}`);
      out.push("```", "");
    }
  }

  if (runs) {
    out.push(`## Behaviour delta: step ${n - 1} -> ${n}`, "");
    out.push(`${runSettings(o)}; '*' marks what changed`, "");
    for (const [w, r] of runs) {
      const [before, after] = [r.report(n - 1, o.seed), r.report(n, o.seed)];
      out.push(`### ${w}`, "");
      out.push(...deltaLines(before, after, n, colour), "");
      out.push(...claimLines(step, { workload: w, topology: o.topology, seconds: o.seconds, thp: o.thp }, o.seed, before, after));
    }
  }

  out.push("## Tests", "");
  const own = join(dir, "delta.test.ts");
  const ownRel = `${repoPath}/delta.test.ts`;
  if (src.tests.length === 0) out.push(NO_TESTS, "");
  if (existsSync(own)) {
    out.push(`${ownRel}:`);
    out.push(...testTitles(readFileSync(own, "utf8")).map((t) => `- ${t}`), "");
  }
  for (const [g] of src.tests.length ? gates : []) {
    const t = testsMentioning(g, src.tests, ownRel);
    out.push(`Other tests mentioning ${g}${t.length ? ":" : ": none"}`);
    out.push(...t.slice(0, MAX_TESTS_PER_GATE).map((x) => `- ${x}`));
    if (t.length > MAX_TESTS_PER_GATE) out.push(`- ... and ${t.length - MAX_TESTS_PER_GATE} more`);
    out.push("");
  }
  return out.join("\n").trimEnd() + "\n";
}

/** The settings of the delta runs, in words: machine (with its shape), duration, THP mode and seed. */
export function runSettings(o: { topology: string; seconds: number; thp: string; seed: number }): string {
  const t = parseTopology(o.topology).topology;
  const mib = t.nodes.reduce((a, node) => a + node.memBytes, 0) / 2 ** 20;
  return `Runs: machine ${o.topology} (${t.nodes.length} nodes, ${t.nrCpus} CPUs, ${mib} MiB), ${o.seconds} simulated seconds, THP ${o.thp}, seed ${o.seed}`;
}

/** The step's Observable claims made on this run (seed 1), each with whether the delta above bears it out. */
function claimLines(step: Step, run: ClaimRun, seed: number, before: RunReport, after: RunReport): string[] {
  const claims = step.observable.claims.filter((c) => claimedOn(c, run));
  if (seed !== 1 || claims.length === 0) return [];
  const [a, b] = [reportMetrics(before), reportMetrics(after)];
  const line = (c: Claim) => {
    const { holds, why } = checkClaim(c, a, b);
    return `- ${c.metric} ${c.direction}: ${holds ? `holds${why ? ` (${why})` : ""}` : `does NOT hold (${why})`}`;
  };
  return ["The changelog's claims on this run:", ...claims.map(line), ""];
}

/** Metrics side by side; changed rows marked with '*' (bold yellow on a terminal). */
function deltaLines(before: RunReport, after: RunReport, n: number, colour: boolean): string[] {
  const a = reportMetrics(before);
  const b = reportMetrics(after);
  // A counter one side lacks ("absent") moved only if the other side counted something.
  const moved = (m: string) => [a.get(m), b.get(m)].some((v) => typeof v === "number" && v !== 0);
  const names = [...new Set([...CORE_METRICS, ...[...a.keys(), ...b.keys()].filter((m) => !m.startsWith("pid") && moved(m))])];
  const rows = names.map((m) => [m, a.has(m) ? showMetric(a.get(m)!) : "-", b.has(m) ? showMetric(b.get(m)!) : "-"]);
  const head = ["metric", `step ${n - 1}`, `step ${n}`];
  const w = [0, 1, 2].map((c) => Math.max(head[c].length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2].padStart(w[2])}`;
  return [
    `  ${line(head)}`,
    ...rows.map((r) => {
      const changed = r[1] !== r[2];
      const text = `${changed ? "*" : " "} ${line(r)}`;
      return changed && colour ? `\x1b[1;33m${text}\x1b[0m` : text;
    }),
  ];
}
