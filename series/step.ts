import type { Features } from "@balancenuma/include-linux";

/** One patch of the series, as a step module. */
export interface Step {
  /** 1..49. */
  readonly number: number;
  /** Folder key, e.g. "pte-alloc-check". */
  readonly key: string;
  readonly title: string;
  /** The patch author as the v11 pull credits them. */
  readonly author: string;
  /** The v10 posting's patch number ("v11 only" for step 01). */
  readonly v10: string;
  /** The subsystem packages the patch touches. */
  readonly subsystems: readonly string[];
  /** Apply the patch: set the gates and defaults it changes. */
  apply(f: Features): void;
}

export const defineStep = (s: Step): Step => s;
