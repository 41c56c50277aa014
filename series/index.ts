/**
 * @balancenuma/series — the patch series as data. Step N's module applies its patch to a Features
 * record; a kernel at step N is BASELINE_FEATURES (Linux 3.7-rc6) with steps 1..N applied in order.
 */
import { BASELINE_FEATURES, type Features } from "@balancenuma/include-linux";

export interface Step {
  /** 1..49. */
  readonly number: number;
  /** Folder key from series.tsv, e.g. "pte-alloc-check". */
  readonly key: string;
  readonly title: string;
  readonly author: string;
  /** The v10 posting's patch number ("v11 only" for step 01). */
  readonly v10: string;
  readonly subsystems: readonly string[];
  /** Apply the patch: set the gates and defaults it changes. */
  apply(f: Features): void;
}

/** The steps in order. Empty until the series lands; step 0 is the baseline. */
export const SERIES: readonly Step[] = [];

export const BASELINE_TITLE = "Linux 3.7-rc6 without automatic NUMA balancing";

/** Features of a kernel built at step n: exactly steps 1..n applied to the baseline. */
export function featuresAtStep(n: number): Features {
  if (!Number.isInteger(n) || n < 0 || n > SERIES.length)
    throw new RangeError(`step must be 0..${SERIES.length}, got ${n}`);
  const f: Features = { ...BASELINE_FEATURES };
  for (const s of SERIES.slice(0, n)) s.apply(f);
  return f;
}
