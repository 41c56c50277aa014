import { describe, expect, it } from "vitest";
import { RunProgress } from "./progress.js";

/** A terminal stand-in that keeps what is written to it. */
function fakeTerminal() {
  const t = { text: "", isTTY: true, columns: 100, write: (s: string) => ((t.text += s), true), on: () => t, removeListener: () => t };
  return t;
}

describe("a run's progress bar", () => {
  it("stays quiet for the first second of wall time, then shows the share done and the simulated time", () => {
    let now = 0;
    const term = fakeTerminal();
    const p = new RunProgress(term as unknown as NodeJS.WritableStream, () => now);
    p.update(0.1, 0.5);
    now = 900;
    p.update(0.3, 1.5);
    expect(term.text).toBe("");
    now = 1100;
    p.update(0.42, 2.1);
    expect(term.text).toMatch(/simulating \[[^\]]*\] 42% \| 2\.1 simulated s/);
    p.stop();
    expect(term.text).toMatch(/100%/);
  });

  it("prints nothing at all for a run done within the second", () => {
    let now = 0;
    const term = fakeTerminal();
    const p = new RunProgress(term as unknown as NodeJS.WritableStream, () => now);
    p.update(0.5, 1);
    now = 500;
    p.update(1, 2);
    p.stop();
    expect(term.text).toBe("");
  });
});
