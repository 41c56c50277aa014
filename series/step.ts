import type { Features } from "@balancenuma/include-linux";

/** A mainline commit id (40 hex digits), or why it is not known. */
export type CommitId = string | { readonly unknown: string };

/** The trailers of one kind, e.g. Signed-off-by, with the people's names in their order. Cc: lines are left out. */
export interface Tag {
  readonly kind: string;
  readonly names: readonly string[];
}

export interface DiffstatFile {
  readonly path: string;
  readonly added: number;
  readonly removed: number;
}

/** Lines added and removed per file, and git's summary line ("N files changed, X insertions, Y deletions"). */
export interface Diffstat {
  /** The text the counts were read from, e.g. "the v10 mail". */
  readonly from: string;
  readonly files: readonly DiffstatFile[];
  readonly filesChanged: number;
  readonly insertions: number;
  readonly deletions: number;
}

/** Where the patch was posted for review. */
export interface Posting {
  readonly messageId: string;
  /** The mail's Date: header (or the day alone when the time was not read). */
  readonly date: string;
  /** The posting and list, in words. */
  readonly where: string;
}

/** One commit of the series as merged for Linux 3.8. */
export interface UpstreamCommit {
  readonly commit: CommitId;
  readonly subject: string;
  readonly author: string;
  readonly tags: readonly Tag[];
  /** The text the tags were read from ("the commit message", "the v10 mail", ...). */
  readonly tagsFrom: string;
  readonly diffstat: Diffstat;
  readonly posted: Posting;
  /** Facts a reviewer should know about this commit's history, in plain words. */
  readonly notes: readonly string[];
}

/**
 * An earlier step this one cannot do without, and why (see series/ablation.ts: a step whose apply()
 * changes a gate an earlier step set is found to build on it without being listed here).
 */
export interface Requirement {
  readonly step: number;
  /** Why, in words that finish "step N needs step M: ...". */
  readonly why: string;
}

/** How a metric moves from the step before to this step: "appears" is absent before, a number after. */
export type Direction = "up" | "down" | "unchanged" | "appears";

/** The run a claim is checked on, at this step and the step before (seed 1). */
export interface ClaimRun {
  /** A built-in workload. */
  readonly workload: string;
  /** Machine (--topology). */
  readonly topology: string;
  /** Simulated seconds. */
  readonly seconds: number;
  readonly thp: "always" | "madvise" | "never";
}

/** One machine-checkable part of a step's Observable line. */
export interface Claim {
  /** A run report's metric ('balancenuma metrics'), or EVERY_METRIC: every metric of the run is the same. */
  readonly metric: string;
  readonly direction: Direction;
  readonly run: ClaimRun;
}

/** What a user sees change at this step in a run, checked by packages/cli/test/observable.test.ts. */
export interface Observable {
  readonly claims: readonly Claim[];
  /** When the claims show and when they do not, as a sentence (rendered into PATCH.md). */
  readonly when: string;
}

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
  /** The upstream commit(s) this step models: one, or two where a build fix is folded in (step 45). */
  readonly upstream: readonly UpstreamCommit[];
  /** Earlier steps this one does not work without (reverting one of them while keeping this step is refused). */
  readonly requires?: readonly Requirement[];
  /** What a run shows of this step, against the step before (PATCH.md's "Checked:" line is rendered from it). */
  readonly observable: Observable;
  /** Apply the patch: set the gates and defaults it changes. */
  apply(f: Features): void;
}

export const defineStep = (s: Step): Step => s;
