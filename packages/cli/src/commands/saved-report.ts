import type { RunReport } from "@balancenuma/workloads";

/** Checks on JSON read back from files (saved reports, sweep directories) before anything trusts its shape. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const numbers = (o: Record<string, unknown>, keys: string[]) => keys.every((k) => typeof o[k] === "number");
/** Numbers, or null where the report says "n/a" (a ratio of nothing). */
const numbersOrNull = (o: Record<string, unknown>, keys: string[]) => keys.every((k) => typeof o[k] === "number" || o[k] === null);

export const isNumberList = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");
export const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** Has a saved report every field the metrics read (workloads' metrics.ts), with the right types? */
export function isRunReport(v: unknown): v is RunReport {
  if (!isObject(v) || !numbers(v, ["step", "seed", "elapsedSeconds", "userSeconds", "systemSeconds", "cpuPercent"])) return false;
  if (typeof v.workload !== "string" || typeof v.machine !== "string" || !Array.isArray(v.args) || !isObject(v.vmstatDelta) || !isObject(v.mmtests))
    return false;
  if (!(v.score === null || (isObject(v.score) && isObject(v.score.metrics)))) return false;
  const processOk = (p: unknown) =>
    isObject(p) && numbers(p, ["pid", "localTouches", "remoteTouches", "remoteBytes", "userSeconds", "systemSeconds"]) && numbersOrNull(p, ["localPercent"]);
  const sampleOk = (c: unknown) => isObject(c) && numbersOrNull(c, ["value"]);
  return Array.isArray(v.processes) && v.processes.every(processOk) && Array.isArray(v.convergence) && v.convergence.every(sampleOk);
}
