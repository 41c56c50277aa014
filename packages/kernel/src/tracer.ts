import type { Tracer } from "@balancenuma/include-linux";

/** One recorded trace event. */
export interface TraceEvent {
  readonly ns: number;
  readonly cpu: number;
  readonly comm: string;
  readonly pid: number;
  /** "system:name", e.g. "migrate:mm_migrate_pages". */
  readonly event: string;
  readonly text: string;
}

/** The head of ftrace's text "trace" file with the nop tracer. */
export const TRACE_HEADER = "# tracer: nop\n#\n#           TASK-PID    CPU#    TIMESTAMP  FUNCTION\n#              | |       |          |         |\n";

/** One event as a line of the trace file: "  comm-pid  [cpu]  secs.usecs: name: text\n". */
export function formatTraceEvent(e: TraceEvent): string {
  const task = `${e.comm}-${e.pid}`.padStart(16);
  const cpu = String(e.cpu).padStart(3, "0");
  const secs = Math.floor(e.ns / 1e9);
  const usecs = String(Math.floor((e.ns % 1e9) / 1e3)).padStart(6, "0");
  return `${task} [${cpu}] ${String(secs).padStart(5)}.${usecs}: ${e.event.split(":")[1]}: ${e.text}\n`;
}

/**
 * The kernel's trace buffer: records enabled events and renders them as ftrace's text "trace" file.
 * With a sink, each event goes out as a line of that file as it happens and none is kept, so a long
 * run's trace never has to fit in memory (what `run --trace FILE` uses).
 */
export class TraceBuffer implements Tracer {
  readonly events: TraceEvent[] = [];
  private readonly on: Set<string>;
  /** enabled()'s answer per event name: it is asked at every tracepoint hit. */
  private readonly answers = new Map<string, boolean>();

  constructor(
    enabledEvents: Iterable<string>,
    private readonly where: () => { ns: number; cpu: number; comm: string; pid: number },
    private readonly sink?: (line: string) => void,
  ) {
    this.on = new Set(enabledEvents);
  }

  enabled(event: string): boolean {
    let on = this.answers.get(event);
    if (on === undefined) {
      on = this.on.has(event) || this.on.has("all") || this.on.has(`${event.split(":")[0]}:*`);
      this.answers.set(event, on);
    }
    return on;
  }

  emit(event: string, text: string): void {
    if (!this.enabled(event)) return;
    const e = { ...this.where(), event, text };
    if (this.sink) this.sink(formatTraceEvent(e));
    else this.events.push(e);
  }

  /** The trace file of the kept events (header only when they went to a sink). */
  render(): string {
    return TRACE_HEADER + this.events.map(formatTraceEvent).join("");
  }
}
