/**
 * @balancenuma/series — the patch series: step N's module applies its patch to a Features record,
 * and a kernel at step N is Linux 3.7-rc6 with steps 1..N applied in order, booted with every
 * subsystem (bootAtStep).
 */
export type { Step } from "./step.js";
export { BASELINE_TITLE, SERIES, featuresAtStep, findStep, stepKey, stepName } from "./features.js";
export { LINUX_SUBSYSTEMS, bootAtStep, type Linux, type StepBootOptions } from "./boot.js";

export type { CommitId, Diffstat, DiffstatFile, Posting, Tag, UpstreamCommit } from "./step.js";
export { diffstatSummary, isKnownCommit, upstreamMarkdown, withUpstreamSection, withoutUpstreamSection } from "./upstream.js";
