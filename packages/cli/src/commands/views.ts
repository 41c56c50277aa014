import { InvalidArgumentError, type Command } from "commander";
import { NSEC_PER_SEC } from "@balancenuma/include-linux";
import { parseDecimal } from "@balancenuma/machine";
import { TRACE_HEADER, renderNumaMaps, renderNumastat, renderNumastatSystem, type KernelInstance } from "@balancenuma/kernel";
import { renderNodeMeminfo, renderNodeNumastat, renderProcVmstat } from "@balancenuma/vmstat";
import { UsageError } from "../errors.js";
import { parsePath } from "../options.js";
import { OutputFile } from "../atomic-write.js";

const VIEWS = ["vmstat", "numa_maps", "meminfo", "numastat", "numastat-p"] as const;
type View = (typeof VIEWS)[number];

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

/** The views of one kernel at one moment, in the kernel's formats; a header per file when there are several (or `headers`). */
function renderViews(k: KernelInstance, views: readonly View[], headers = false): string {
  const leaders = [...k.tasks.values()].filter((t) => t.pid === t.tgid && t.mm && t.exitNs < 0).sort((a, b) => a.pid - b.pid);
  const nodes = k.topology.nodes;
  const files: [string, string][] = [];
  for (const v of views) {
    if (v === "vmstat") files.push(["/proc/vmstat", renderProcVmstat(k.vm, k.features)]);
    if (v === "numa_maps") for (const t of leaders) files.push([`/proc/${t.pid}/numa_maps`, renderNumaMaps(k, t)]);
    if (v === "meminfo") for (const n of nodes) files.push([`/sys/devices/system/node/node${n.id}/meminfo`, renderNodeMeminfo(k.vm, n.id, n.memBytes / 4096)]);
    if (v === "numastat") files.push(["numastat", renderNumastatSystem(nodes.map((n) => ({ node: n.id, numastat: renderNodeNumastat(k.vm, n.id) })))]);
    if (v === "numastat-p") {
      const procs = leaders.map((t) => ({ pid: t.pid, comm: t.comm, numaMaps: renderNumaMaps(k, t) }));
      files.push([
        `numastat -p ${leaders.map((t) => t.pid).join(" ")}`,
        procs.length ? renderNumastat(procs, { nodes: nodes.map((n) => n.id) }) : "No processes.\n",
      ]);
    }
  }
  const at = (k.time / NSEC_PER_SEC).toFixed(3);
  if (files.length === 1 && !headers) return files[0][1];
  return files.map(([name, text]) => `==> ${name} at ${at} s <==\n${text}`).join("\n");
}

/**
 * Takes the views at the first tick at or after each --at time, and streams the trace into its file
 * as the run goes (opened when the recorder is made, so a bad path fails before the run; see OutputFile).
 */
export class ViewRecorder {
  private readonly snapshots: string[] = [];
  /** The next --at time to take, and the tick time of the last snapshot (two times in one tick give one). */
  private next = 0;
  private lastNs = -1;
  private readonly traceFile?: OutputFile;

  constructor(private readonly flags: ViewFlags) {
    if (flags.trace === undefined) return;
    this.traceFile = new OutputFile(flags.trace, "--trace");
    this.traceFile.write(TRACE_HEADER);
  }

  /** Trace events to enable at boot: every event this kernel has. */
  get traceEvents(): string[] | undefined {
    return this.traceFile && ["all"];
  }

  /** Where the kernel's trace lines go. */
  get traceSink(): ((line: string) => void) | undefined {
    const f = this.traceFile;
    return (
      f &&
      ((line) => {
        f.write(line);
      })
    );
  }

  get wanted(): boolean {
    return this.flags.proc !== undefined;
  }

  /** Several snapshots: each file under a header naming it and the time. */
  private get headers(): boolean {
    return (this.flags.at?.length ?? 0) > 1;
  }

  readonly onTick = (k: KernelInstance): void => {
    const { proc, at } = this.flags;
    if (!proc || !at) return;
    while (this.next < at.length && k.time >= Math.round(at[this.next] * NSEC_PER_SEC)) {
      if (k.time !== this.lastNs) this.snapshots.push(renderViews(k, proc, this.headers));
      this.lastNs = k.time;
      this.next++;
    }
  };

  /** The views (those --at times the run did not reach taken once, at its end); the trace file finished. */
  finish(k: KernelInstance, err: (s: string) => void): string {
    if (this.traceFile) {
      this.traceFile.commit();
      if (!k.features.migrateTracepoint)
        err(
          `balancenuma: note: a kernel at step ${k.step} has no trace events (migrate:mm_migrate_pages arrives at step 10); '${this.flags.trace}' has only the header\n`,
        );
    }
    const { proc, at } = this.flags;
    if (!proc) return "";
    const missed = (at?.length ?? 1) - this.next;
    if (missed > 0) {
      if (at) {
        const which = missed === 1 ? `--at ${at[this.next]}` : `${missed} of the --at times (from ${at[this.next]} s)`;
        err(
          `balancenuma: note: the run ended at ${(k.time / NSEC_PER_SEC).toFixed(3)} s, before ${which}; ${missed === 1 ? "the views are" : "one snapshot is taken"} at its end\n`,
        );
      }
      if (k.time !== this.lastNs) this.snapshots.push(renderViews(k, proc, this.headers));
    }
    return this.snapshots.join("\n");
  }

  /** The run failed: leave the trace file as it was. */
  abort(): void {
    this.traceFile?.abort();
  }
}
