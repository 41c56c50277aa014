/** The flags of `run`'s /proc views (--proc, --at) and trace file (--trace): parsed and checked before the model loads; views.ts renders them. */
import { InvalidArgumentError, type Command } from "commander";
import { parseDecimal } from "@balancenuma/machine";
import { UsageError } from "../errors.js";
import { parsePath } from "../options.js";

const VIEWS = ["vmstat", "numa_maps", "meminfo", "numastat", "numastat-p"] as const;
export type View = (typeof VIEWS)[number];

/** The run flags of the /proc views and the trace file. */
export interface ViewFlags {
  proc?: View[];
  /** Simulated times of the views, seconds, ascending. */
  at?: number[];
  trace?: string;
}

/** At most this many snapshots in one run. */
const MAX_SNAPSHOTS = 1000;

/**
 * --at: simulated times, comma-separated; each a time in seconds or an interval FROM-TO/EVERY
 * (`0-10/2` is 0, 2, 4, 6, 8 and 10). Returns the times ascending, each once.
 */
export function parseAt(v: string): number[] {
  const bad = (why: string) =>
    new InvalidArgumentError(`'${v}' ${why}; give times in seconds and intervals FROM-TO/EVERY, separated by commas, e.g. 1.5 or 1,2,5 or 0-10/2`);
  const times = new Set<number>();
  const time = (t: string) => {
    const n = parseDecimal(t);
    if (!(n >= 0 && n <= 36000)) throw bad(`is not a list of times (${t === "" ? "an empty one" : `'${t}'`} is not from 0 to 36000 s)`);
    return n;
  };
  for (const part of v.split(",").map((p) => p.trim())) {
    const m = /^([^-/]+)-([^/]+)\/(.+)$/.exec(part);
    if (!m) {
      if (part.includes("/") || part.includes("-")) throw bad(`is not a list of times ('${part}' is not FROM-TO/EVERY)`);
      times.add(time(part));
    } else {
      const [from, to, every] = [time(m[1]), time(m[2]), parseDecimal(m[3])];
      if (!(every > 0)) throw bad(`is not a list of times (the interval '${m[3]}' must be above 0)`);
      if (to < from) throw bad(`is not a list of times ('${part}' ends before it starts)`);
      if ((to - from) / every + 1 > MAX_SNAPSHOTS) throw bad(`asks for more than ${MAX_SNAPSHOTS} snapshots`);
      for (let i = 0; from + i * every <= to + 1e-9; i++) times.add(Number((from + i * every).toFixed(9)));
    }
    if (times.size > MAX_SNAPSHOTS) throw bad(`asks for more than ${MAX_SNAPSHOTS} snapshots`);
  }
  return [...times].sort((a, b) => a - b);
}

function parseViews(v: string): View[] {
  const names = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!(VIEWS as readonly string[]).includes(n)) throw new InvalidArgumentError(`'${n}' is not a view; use a comma-separated list of ${VIEWS.join(", ")}`);
  if (names.length === 0) throw new InvalidArgumentError(`name at least one view: ${VIEWS.join(", ")}`);
  return names as View[];
}

/** Add --proc, --at and --trace to `run`. */
export function addViewOptions(cmd: Command): Command {
  return cmd
    .option(
      "--proc <views>",
      `print the kernel's own files instead of the summary: ${VIEWS.join(",")} (/proc/vmstat, /proc/PID/numa_maps, nodeN/meminfo, numastat, numastat -p)`,
      parseViews,
    )
    .option("--at <times>", "simulated times of the --proc views, seconds: 1.5, a list 1,2,5 or an interval 0-10/2 (default: the end of the run)", parseAt)
    .option("--trace <file>", "write the run's trace events (migrate:mm_migrate_pages from step 10) to a file in ftrace text format", parsePath);
}

/** Check the view flags before a run starts, so a long run never ends in a usage error. */
export function checkViewFlags(f: ViewFlags & { json: boolean }): void {
  if (f.at !== undefined && f.proc === undefined) throw new UsageError("--at sets the time of the --proc views; add --proc vmstat,numa_maps,numastat");
  if (f.proc !== undefined && f.json) throw new UsageError("--proc prints the kernel's text files; leave out --json (or drop --proc for the JSON report)");
}
