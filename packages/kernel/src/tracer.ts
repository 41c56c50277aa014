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

/** The kernel's trace buffer: records enabled events; renders them as ftrace's text "trace" file. */
export class TraceBuffer implements Tracer {
  readonly events: TraceEvent[] = [];
  private readonly on: Set<string>;

  constructor(
    enabledEvents: Iterable<string>,
    private readonly where: () => { ns: number; cpu: number; comm: string; pid: number },
  ) {
    this.on = new Set(enabledEvents);
  }

  enabled(event: string): boolean {
    return this.on.has(event) || this.on.has("all") || this.on.has(`${event.split(":")[0]}:*`);
  }

  emit(event: string, text: string): void {
    if (!this.enabled(event)) return;
    this.events.push({ ...this.where(), event, text });
  }

  /** ftrace text format: "  comm-pid  [cpu]  secs.usecs: name: text". */
  render(): string {
    const lines = ["# tracer: nop", "#", "#           TASK-PID    CPU#    TIMESTAMP  FUNCTION", "#              | |       |          |         |"];
    for (const e of this.events) {
      const task = `${e.comm}-${e.pid}`.padStart(16);
      const cpu = String(e.cpu).padStart(3, "0");
      const secs = Math.floor(e.ns / 1e9);
      const usecs = String(Math.floor((e.ns % 1e9) / 1e3)).padStart(6, "0");
      lines.push(`${task} [${cpu}] ${String(secs).padStart(5)}.${usecs}: ${e.event.split(":")[1]}: ${e.text}`);
    }
    return lines.join("\n") + "\n";
  }
}
