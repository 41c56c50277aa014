import { describe, expect, it } from "vitest";
import { TRACE_HEADER, TraceBuffer } from "./tracer.js";

describe("the trace buffer", () => {
  it("with a sink, hands each event out as its trace-file line and keeps none: the same file, streamed", () => {
    const clock = () => {
      let ns = 0;
      return () => ({ ns: (ns += 1_234_567), cpu: 3, comm: "numa01", pid: 7 });
    };
    const kept = new TraceBuffer(["migrate:*"], clock());
    const lines: string[] = [];
    const streamed = new TraceBuffer(["migrate:*"], clock(), (line) => lines.push(line));
    for (const t of [kept, streamed])
      for (let i = 0; i < 3; i++) {
        t.emit("migrate:mm_migrate_pages", `nr_succeeded=${i} nr_failed=0 mode=MIGRATE_ASYNC reason=0x5`);
        t.emit("sched:sched_switch", "not enabled");
      }
    expect(streamed.events).toEqual([]);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe("        numa01-7 [003]     0.001234: mm_migrate_pages: nr_succeeded=0 nr_failed=0 mode=MIGRATE_ASYNC reason=0x5\n");
    expect(TRACE_HEADER + lines.join("")).toBe(kept.render());
  });
});
