/** `run --check`: the kernel's invariant checker during a run, and what the user sees when it fires. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { InvariantError, KernelInstance } from "@balancenuma/kernel";
import { main } from "../src/main.js";

const ARGS = ["run", "--json", "-w", "numa02", "--step", "49", "-t", "nodes=2,cpus=2,mem=128M", "--seconds", "0.2"];

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false });
  return { code, out, err };
}

/** The report without its record of the command line (which names --check). */
const withoutCommandLine = (json: string): unknown => {
  const r = JSON.parse(json) as Record<string, unknown>;
  delete r.invocation;
  delete r.commandLine;
  return r;
};

describe("balancenuma run --check", () => {
  afterEach(() => vi.restoreAllMocks());

  it("checks the invariants every 4 ms of simulated time, says so on stderr, and changes nothing in the report", async () => {
    const checked = await run([...ARGS, "--check"]);
    expect(checked.code).toBe(0);
    // 0.2 s of simulated time: one check per 4 ms bus tick.
    const n = Number(/held at all (\d+) checks/.exec(checked.err)?.[1]);
    expect(n).toBeGreaterThanOrEqual(45);
    expect(n).toBeLessThanOrEqual(55);
    const plain = await run(ARGS);
    expect(plain.err).toBe("");
    expect(withoutCommandLine(checked.out)).toEqual(withoutCommandLine(plain.out));
  });

  it("a broken invariant ends the run with one line naming it (exit 1), not an internal error", async () => {
    vi.spyOn(KernelInstance.prototype, "checkInvariants").mockImplementation(() => {
      throw new InvariantError("invariant broken: node 0: 3 pages flagged free but the allocator has 2 (at 0.004000 s simulated)");
    });
    const r = await run([...ARGS, "--check"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "balancenuma: --check: invariant broken: node 0: 3 pages flagged free but the allocator has 2 (at 0.004000 s simulated); this is a bug in the model, please report it with the command line\n",
    );
  });
});
