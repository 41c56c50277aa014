import { KernelSpecError, SERIES, checkKernelSpec, findStep, kernelLabel, parseKernelSpec, type KernelSpec } from "@balancenuma/series";
import { UsageError } from "./errors.js";
import { stepSuggestion } from "./options.js";

/**
 * Kernels without some steps on the command line (`--revert`, compare's `49-40`). A kernel the
 * series cannot build (series/ablation.ts) is a usage error: its one line, after the flag or spec
 * that asked for it.
 */
export function checkKernel(step: number, reverted: readonly number[], what: string): KernelSpec {
  try {
    return checkKernelSpec(step, reverted);
  } catch (e) {
    if (e instanceof KernelSpecError) throw new UsageError(`${what}: ${e.message}`);
    throw e;
  }
}

/** A kernel spec argument ("49", "49-40", a step key); a bad one is a usage error, a misspelt key gets a suggestion. */
export function parseKernelArg(text: string): KernelSpec {
  if (/^[a-z][a-z0-9-]*$/i.test(text) && findStep(text) === undefined)
    throw new UsageError(
      `'${text}' is not a step${stepSuggestion(text)}; give a step (a number 0-${SERIES.length} or a key) or STEP-N[-M...], the step without steps N, M (e.g. 49-40)`,
    );
  try {
    return parseKernelSpec(text);
  } catch (e) {
    if (e instanceof KernelSpecError) throw new UsageError(e.message.startsWith("'") ? e.message : `'${text}': ${e.message}`);
    throw e;
  }
}

/**
 * With `--revert` over many steps (bisect, compare, sweep): the kernel at `step` is built without the
 * reverted steps it has; those above it do not apply to it.
 */
export const revertAt = (revert: readonly number[], step: number): number[] => revert.filter((r) => r <= step);

/** "49 without 40 (two-stage-filter)", or just "49". */
export function describeKernel(k: KernelSpec): string {
  if (k.reverted.length === 0) return String(k.step);
  return `${k.step} without ${k.reverted.map((r) => `${r} (${SERIES[r - 1].key})`).join(", ")}`;
}

export { kernelLabel };
