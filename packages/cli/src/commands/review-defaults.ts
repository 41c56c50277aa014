import { REVIEW_RUN } from "@balancenuma/series/steps";

/** The workloads of a step's behaviour delta unless --workloads (or --all) says otherwise. */
export const STANDARD_WORKLOADS = ["remote-memory", "private-halves", "numa02"];

/**
 * The delta runs' defaults: a machine and a duration on which every standard workload is still
 * running when the NUMA scanner starts (1 s of CPU time, then one pass per scan period), so the
 * scanner's counters move at every step that has them (a test checks it).
 */
export const REVIEW_DEFAULTS = { ...REVIEW_RUN, seed: 1 } as const;
