import { parseDecimal } from "@balancenuma/machine";
import { WorkloadError } from "@balancenuma/userspace";

/** One numeric option of a simple workload: `--name VALUE` (or its short form `-x VALUE`). */
export interface NumOpt {
  long: string;
  short?: string;
  min: number;
  max: number;
  integer?: boolean;
  what: string;
}

/**
 * Parse `--name VALUE` / `--name=VALUE` / `-x VALUE` options into numbers; every error names the
 * option and what it expects (a WorkloadError: exit code 2).
 */
export function parseNumOpts(workload: string, args: readonly string[], opts: readonly NumOpt[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf("=");
    const key = eq > 0 && a.startsWith("--") ? a.slice(0, eq) : a;
    const o = opts.find((x) => `--${x.long}` === key || (x.short !== undefined && `-${x.short}` === key));
    if (!o) throw new WorkloadError(`${workload}: unknown option '${a}'; it takes ${opts.map((x) => `--${x.long}`).join(", ")}`);
    const raw = eq > 0 && a.startsWith("--") ? a.slice(eq + 1) : args[++i];
    const v = parseDecimal(raw);
    if (!Number.isFinite(v) || v < o.min || v > o.max || (o.integer && !Number.isInteger(v)))
      throw new WorkloadError(
        `${workload}: option --${o.long} expects ${o.what} (${o.integer ? "a whole number " : ""}from ${o.min} to ${o.max}), got '${raw ?? ""}'`,
      );
    out[o.long] = v;
  }
  return out;
}
