import { InvalidArgumentError, type Command } from "commander";
import { NSEC_PER_SEC } from "@balancenuma/include-linux";
import { TRACE_HEADER, renderNumaMaps, renderNumastat, type KernelInstance } from "@balancenuma/kernel";
import { renderProcVmstat } from "@balancenuma/vmstat";
import { UsageError } from "../errors.js";
import { parsePath, parseSeconds } from "../options.js";
import { OutputFile } from "../atomic-write.js";

const VIEWS = ["vmstat", "numa_maps", "numastat"] as const;
type View = (typeof VIEWS)[number];

/** The run flags of the /proc views and the trace file. */
export interface ViewFlags {
  proc?: View[];
  at?: number;
  trace?: string;
}

function parseViews(v: string): View[] {
  const names = v.split(",").map((s) => s.trim()).filter(Boolean);
  for (const n of names)
    if (!(VIEWS as readonly string[]).includes(n)) throw new InvalidArgumentError(`'${n}' is not a view; use a comma-separated list of ${VIEWS.join(", ")}`);
  if (names.length === 0) throw new InvalidArgumentError(`name at least one view: ${VIEWS.join(", ")}`);
  return names as View[];
}

/** Add --proc, --at and --trace to `run`. */
export function addViewOptions(cmd: Command): Command {
  return cmd
    .option("--proc <views>", `print the kernel's own files instead of the summary: ${VIEWS.join(",")} (/proc/vmstat, /proc/PID/numa_maps, numastat -p)`, parseViews)
    .option("--at <s>", "simulated time of the --proc views, seconds (default: the end of the run)", parseSeconds)
    .option("--trace <file>", "write the run's trace events (migrate:mm_migrate_pages from step 10) to a file in ftrace text format", parsePath);
}

/** Check the view flags before a run starts, so a long run never ends in a usage error. */
export function checkViewFlags(f: ViewFlags & { json: boolean }): void {
  if (f.at !== undefined && f.proc === undefined) throw new UsageError("--at sets the time of the --proc views; add --proc vmstat,numa_maps,numastat");
  if (f.proc !== undefined && f.json) throw new UsageError("--proc prints the kernel's text files; leave out --json (or drop --proc for the JSON report)");
}

/** The views of one kernel at one moment, in the kernel's formats; a header per file when there are several. */
export function renderViews(k: KernelInstance, views: readonly View[]): string {
  const leaders = [...k.tasks.values()].filter((t) => t.pid === t.tgid && t.mm && t.exitNs < 0).sort((a, b) => a.pid - b.pid);
  const files: [string, string][] = [];
  for (const v of views) {
    if (v === "vmstat") files.push(["/proc/vmstat", renderProcVmstat(k.vm, k.features)]);
    if (v === "numa_maps") for (const t of leaders) files.push([`/proc/${t.pid}/numa_maps`, renderNumaMaps(k, t)]);
    if (v === "numastat") {
      const procs = leaders.map((t) => ({ pid: t.pid, comm: t.comm, numaMaps: renderNumaMaps(k, t) }));
      files.push([`numastat -p ${leaders.map((t) => t.pid).join(" ")}`, procs.length ? renderNumastat(procs, { nodes: k.topology.nodes.map((n) => n.id) }) : "No processes.\n"]);
    }
  }
  const at = (k.time / NSEC_PER_SEC).toFixed(3);
  if (files.length === 1) return files[0][1];
  return files.map(([name, text]) => `==> ${name} at ${at} s <==\n${text}`).join("\n");
}

/**
 * Takes the views at the first tick at or after --at, and streams the trace into its file as the run
 * goes (opened when the recorder is made, so a bad path fails before the run; see OutputFile).
 */
export class ViewRecorder {
  private text: string | null = null;
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
    return f && ((line) => f.write(line));
  }

  get wanted(): boolean {
    return this.flags.proc !== undefined;
  }

  readonly onTick = (k: KernelInstance): void => {
    const { proc, at } = this.flags;
    if (proc && at !== undefined && this.text === null && k.time >= Math.round(at * NSEC_PER_SEC)) this.text = renderViews(k, proc);
  };

  /** The views (taken at the end if the run ended before --at); the trace file finished. */
  finish(k: KernelInstance, err: (s: string) => void): string {
    if (this.traceFile) {
      this.traceFile.commit();
      if (!k.features.migrateTracepoint)
        err(`balancenuma: note: a kernel at step ${k.step} has no trace events (migrate:mm_migrate_pages arrives at step 10); '${this.flags.trace}' has only the header\n`);
    }
    if (!this.flags.proc) return "";
    if (this.text === null && this.flags.at !== undefined)
      err(`balancenuma: note: the run ended at ${(k.time / NSEC_PER_SEC).toFixed(3)} s, before --at ${this.flags.at}; the views are at its end\n`);
    return this.text ?? renderViews(k, this.flags.proc);
  }

  /** The run failed: leave the trace file as it was. */
  abort(): void {
    this.traceFile?.abort();
  }
}
