import type { Command } from "commander";
import { SERIES, stepKey, stepName } from "@balancenuma/series";
import { COMMON_METRICS, listMetrics, metricValue, type MetricValue } from "@balancenuma/workloads";
import type { Io } from "../io.js";
import { CommandFailure, UsageError } from "../errors.js";
import { checkWorkloadFlags, workloadLabel, type WorkloadFlags } from "../workload-options.js";
import { checkMetricName, evaluate, needsProbe, parsePredicate, predicateMetrics, predicateRefs, type Expr } from "./predicate.js";
import { majority, searchFirstBad, type Verdict } from "./bisect-search.js";
import { runJudge } from "./judge.js";
import { StepRuns, runProgress, showMetric } from "./step-runs.js";
import { checkKernel, kernelLabel, revertAt } from "../kernels.js";

export interface BisectFlags extends WorkloadFlags {
  good: number;
  bad: number;
  seeds: number[];
  run?: string;
  runTimeout: number;
  show?: string[];
  json: boolean;
  listMetrics: boolean;
}

interface SeedResult {
  seed: number;
  verdict: Verdict;
  metrics: Record<string, MetricValue>;
}

interface LogEntry {
  step: number;
  /** The kernel judged: the step, or the step without the --revert steps it has (45-40). */
  kernel: string;
  key: string;
  verdict: Verdict;
  seeds: SeedResult[];
  /** True when the seeds did not all give the same verdict. */
  disagree: boolean;
}

export async function bisectCommand(words: string[], o: BisectFlags, cmd: Command, io: Io, workloadArgs: string[]): Promise<void> {
  if (o.listMetrics) {
    io.out(
      `${COMMON_METRICS.join("\n")}\nscore.<name>   the workload's own figures (e.g. score.bops)\npid<N>.local_percent, pid<N>.user, pid<N>.system, pid<N>.remote_gb\n`,
    );
    return;
  }
  checkWorkloadFlags(o, cmd);
  if (o.run === undefined && cmd.getOptionValueSource("runTimeout") === "cli") throw new UsageError("--run-timeout limits a --run judge; add --run COMMAND");
  await bisect({ ...o, predicate: words.join(" ").trim() }, workloadArgs, io);
}

async function bisect(o: BisectFlags & { predicate: string }, args: string[], io: Io): Promise<void> {
  if (o.predicate !== "" && o.run !== undefined) throw new UsageError("give either a predicate or --run COMMAND, not both");
  if (o.run?.trim() === "") throw new UsageError("--run needs a command, e.g. --run './judge.sh'");
  if (o.predicate === "" && o.run === undefined) throw new UsageError("say what to look for: a predicate like 'numa_pages_migrated > 0', or --run COMMAND");
  if (o.good >= o.bad) throw new UsageError(`--good (${o.good}) must be an earlier step than --bad (${o.bad})`);
  // Every kernel of the search is built without the --revert steps it has: the --bad end has them all.
  if (o.revert.length) checkKernel(o.bad, revertAt(o.revert, o.bad), `--revert ${o.revert.join(",")} (at --bad ${o.bad})`);
  const expr: Expr | undefined = o.run === undefined ? parsePredicate(o.predicate) : undefined;
  const show = o.show ?? (expr ? predicateMetrics(expr) : []);
  for (const m of show) checkMetricName(m);
  let progress = undefined as ReturnType<typeof runProgress> | undefined;
  const runs = await StepRuns.open(o, args, (step, seed) => progress?.tick(`step ${step} seed ${seed}`), io.err);
  // Per-process and score metrics depend on the workload: check them on a short run before the real ones.
  const workloadMetrics = [...new Set([...(expr ? predicateMetrics(expr) : []), ...show])].filter(needsProbe);
  if (workloadMetrics.length) {
    const probe = runs.probeMetrics(o.good, o.seeds[0]);
    for (const m of workloadMetrics) checkMetricName(m, probe);
  }

  const out = o.json ? () => {} : io.out;
  const estimate = (2 + Math.ceil(Math.log2(o.bad - o.good)) + (expr ? predicateRefs(expr, o.good).length : 0)) * o.seeds.length;
  progress = runProgress(io.isTTY && !o.json, estimate);
  const started = Date.now();
  let judged = 0;

  const judgeSeed = (step: number, seed: number): SeedResult => {
    const report = runs.report(step, seed);
    // What a short run could not show (perf bench's score appears when it is done) is checked on the run itself.
    for (const m of workloadMetrics) checkMetricName(m, { workload: report.workload, metrics: listMetrics(report) });
    const metrics = Object.fromEntries(show.map((m) => [m, metricValue(report, m)]));
    const verdict: Verdict = expr
      ? evaluate(expr, o.good, (name, at) => metricValue(at === undefined ? report : runs.report(at, seed), name))
        ? "bad"
        : "good"
      : runJudge(o.run!, report, judged === 0, io.err, o.runTimeout);
    judged++;
    return { seed, verdict, metrics };
  };
  // Kernel labels line up: the --bad end's is the longest (it leaves out every reverted step).
  const kernelWidth = kernelLabel({ step: o.bad, reverted: revertAt(o.revert, o.bad) }).length;
  const log: LogEntry[] = [];
  const judge = (step: number): Verdict => {
    const seeds = o.seeds.map((s) => judgeSeed(step, s));
    const verdict = majority(seeds.map((s) => s.verdict));
    const entry = {
      step,
      kernel: kernelLabel({ step, reverted: revertAt(o.revert, step) }),
      key: stepKey(step),
      verdict,
      seeds,
      disagree: new Set(seeds.map((s) => s.verdict)).size > 1,
    };
    log.push(entry);
    out(logLine(entry, kernelWidth));
    return verdict;
  };

  const what = expr ? `predicate '${o.predicate}'` : `judge '${o.run}'`;
  const without = o.revert.length ? ` without step${o.revert.length > 1 ? "s" : ""} ${o.revert.map((r) => `${r} (${stepKey(r)})`).join(", ")}` : "";
  out(
    `bisecting steps ${o.good}..${o.bad}${without}: ${what}; workload ${workloadLabel(o)}${args.length ? ` -- ${args.join(" ")}` : ""} on ${o.topology}, seed${o.seeds.length > 1 ? "s" : ""} ${o.seeds.join(",")}\n`,
  );
  const finish = (result: object, failure?: string) => {
    progress.stop();
    if (o.json)
      io.out(
        JSON.stringify(
          {
            predicate: expr ? o.predicate : null,
            run: o.run ?? null,
            workload: o.workloadFile === undefined ? o.workload : null,
            workloadFile: o.workloadFile ?? null,
            args,
            topology: o.topology,
            seeds: o.seeds,
            revert: o.revert,
            good: o.good,
            bad: o.bad,
            ...result,
            runs: runs.runs,
            log,
          },
          null,
          2,
        ) + "\n",
      );
    // A failure's one line is all stderr gets (the log says what ran).
    if (failure) throw new CommandFailure(failure);
    io.err(`bisect: ${runs.runs} runs in ${((Date.now() - started) / 1000).toFixed(1)} s wall\n`);
  };

  const goodEnd = judge(o.good);
  if (goodEnd !== "good") {
    finish(
      { result: "bad-bounds" },
      goodEnd === "bad"
        ? `the behaviour already holds at --good ${o.good}: nothing to bisect; give an earlier --good or check the predicate`
        : `the --good step ${o.good} was skipped: cannot bisect from it; give another --good`,
    );
    return;
  }
  const badEnd = judge(o.bad);
  if (badEnd !== "bad") {
    finish(
      { result: "bad-bounds" },
      badEnd === "good"
        ? `the behaviour does not hold at --bad ${o.bad}: nothing to bisect; give another --bad or check the predicate`
        : `the --bad step ${o.bad} was skipped: cannot bisect to it; give another --bad`,
    );
    return;
  }
  out(`Bisecting: ${o.bad - o.good - 1} steps left to test (roughly ${Math.ceil(Math.log2(o.bad - o.good))} runs${o.seeds.length > 1 ? " per seed" : ""})\n`);
  progress.grow(runs.runs + Math.ceil(Math.log2(o.bad - o.good)) * o.seeds.length);
  const res = searchFirstBad(o.good, o.bad, judge);
  const disagreed = log.filter((e) => e.disagree).map((e) => e.step);
  if (disagreed.length) out(`seeds disagreed at step${disagreed.length > 1 ? "s" : ""} ${disagreed.join(", ")}: the majority decided\n`);
  if (res.firstBad === undefined) {
    out(`There are only skipped steps left to test. The first bad step could be any of: ${res.candidates.join(", ")}\n`);
    finish(
      { result: "undecided", candidates: res.candidates, lastGood: res.lastGood },
      `could not decide: the first bad step is one of ${res.candidates.join(", ")}`,
    );
    return;
  }
  const fb = res.firstBad;
  out(`\n${fb} is the first bad step\n${fb} ${stepName(fb)}\n`);
  const side = (step: number) => log.find((e) => e.step === step)!.seeds;
  for (const m of show) {
    const vals = (step: number) =>
      side(step)
        .map((s) => showMetric(s.metrics[m]))
        .join(",");
    out(`  ${m}: ${vals(res.lastGood)} at step ${res.lastGood} (good) -> ${vals(fb)} at step ${fb} (bad)\n`);
  }
  out(`\nWhat the step changes: balancenuma review ${fb}\n`);
  finish({ result: "found", firstBad: { number: fb, key: stepKey(fb), title: fb === 0 ? "" : SERIES[fb - 1].title }, lastGood: res.lastGood });
}

function logLine(e: LogEntry, kernelWidth: number): string {
  const metrics = Object.keys(e.seeds[0].metrics)
    .map((m) => `${m}=${e.seeds.map((s) => showMetric(s.metrics[m])).join(",")}`)
    .join("  ");
  const votes = e.disagree ? `  (seeds disagree: ${e.seeds.map((s) => `${s.seed} ${s.verdict}`).join(", ")})` : "";
  return `step ${e.kernel.padStart(Math.max(2, kernelWidth))} ${e.key.padEnd(34)} ${e.verdict.padEnd(4)}  ${metrics}${votes}\n`;
}
