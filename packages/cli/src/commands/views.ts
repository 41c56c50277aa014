import { NSEC_PER_SEC } from "@balancenuma/include-linux";
import { TRACE_HEADER, renderNumaMaps, renderNumastat, renderNumastatSystem, type KernelInstance } from "@balancenuma/kernel";
import { renderNodeMeminfo, renderNodeNumastat, renderProcVmstat } from "@balancenuma/vmstat";
import type { View, ViewFlags } from "./view-options.js";
import { OutputFile } from "../atomic-write.js";

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
