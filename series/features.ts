import { BASELINE_FEATURES, type Features } from "@balancenuma/include-linux";
import { STEPS } from "./steps.js";
import { checkKernelSpec } from "./ablation.js";

/** The steps in order; SERIES[n - 1] is step n. */
export const SERIES = STEPS;

export const BASELINE_TITLE = "Linux 3.7-rc6 without automatic NUMA balancing";

/**
 * Features of a kernel built at step n: exactly steps 1..n applied to the baseline, in order, but
 * those in `reverted` (an ablation, series/ablation.ts; one a kept step depends on is a KernelSpecError).
 */
export function featuresAtStep(n: number, reverted: readonly number[] = []): Features {
  if (!Number.isInteger(n) || n < 0 || n > SERIES.length) throw new RangeError(`step must be 0..${SERIES.length}, got ${n}`);
  const out = new Set(reverted.length ? checkKernelSpec(n, reverted).reverted : []);
  const f: Features = { ...BASELINE_FEATURES };
  for (const s of SERIES.slice(0, n)) if (!out.has(s.number)) s.apply(f);
  return f;
}

/** A step's key: "baseline" for step 0. */
export const stepKey = (n: number): string => (n === 0 ? "baseline" : SERIES[n - 1].key);

/** A step's key and title, e.g. "two-stage-filter: mm: numa: ..." or "baseline: Linux 3.7-rc6 ...". */
export const stepName = (n: number): string => `${stepKey(n)}: ${n === 0 ? BASELINE_TITLE : SERIES[n - 1].title}`;

/** Find a step by number ("26") or key ("fault-driven-placement"); undefined if none. */
export function findStep(ref: string): number | undefined {
  if (/^\d+$/.test(ref)) {
    const n = Number(ref);
    return n <= SERIES.length ? n : undefined;
  }
  return SERIES.find((s) => s.key === ref)?.number;
}
