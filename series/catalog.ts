/**
 * The series as a list, without the kernel (`@balancenuma/series/steps`): the steps with their
 * keys and titles, lookups by number or key, and the review runs' settings. Light enough for a
 * command line's help and flag checks; `bootAtStep` and the subsystems are in the package's root.
 */
export { BASELINE_TITLE, SERIES, findStep, stepKey, stepName } from "./features.js";
export { REVIEW_RUN } from "./observable.js";
