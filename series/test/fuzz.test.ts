/**
 * The fuzzer's fixed CI budget: a few random syscall sequences per step, with a fixed seed so CI
 * runs the same ones (`pnpm fuzz` runs as many as asked, with any seed); and the driver's report.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FUZZ_STEPS, stepProperty } from "../fuzz/model.js";
import { FuzzUsageError, parseFuzzArgs, runFuzz, type PropertyAt } from "../fuzz/run.js";

/** Sequences per step in CI: about 10 s for the six steps on an idle machine (150 sequences, about 1800 syscalls). */
const CI_RUNS = 25;
const CI_SEED = 20121206;

describe("random syscall sequences keep the kernel consistent (fast-check model)", () => {
  it.each(FUZZ_STEPS)("step %i", (step) => {
    let syscalls = 0;
    fc.assert(
      stepProperty(step, (n) => (syscalls += n), 25),
      { numRuns: CI_RUNS, seed: CI_SEED + step },
    );
    expect(syscalls).toBeGreaterThan(CI_RUNS);
  });
});

describe("pnpm fuzz", () => {
  it("takes --runs, --seed, --steps, --commands and --path, and names a bad one", () => {
    expect(parseFuzzArgs(["--runs", "5", "--seed", "9", "--steps", "0,49", "--commands", "7", "--path", "3:0:1"], 1)).toEqual({
      runs: 5,
      seed: 9,
      steps: [0, 49],
      commands: 7,
      path: "3:0:1",
    });
    expect(parseFuzzArgs([], 123)).toMatchObject({ runs: 100, seed: 123, steps: [...FUZZ_STEPS] });
    expect(() => parseFuzzArgs(["--runs", "0x10"], 1)).toThrow(new FuzzUsageError("--runs takes a whole number of at least 1, not '0x10'"));
    expect(() => parseFuzzArgs(["--steps", "0,50"], 1)).toThrow(/--steps are 0 to 49/);
    expect(() => parseFuzzArgs(["--path", "x"], 1)).toThrow(/--path takes the path/);
    expect(() => parseFuzzArgs(["--fast"], 1)).toThrow(/unknown option '--fast'/);
  });

  it("prints the sequences and syscalls checked per step and in all", () => {
    let out = "";
    const ok = runFuzz(
      { runs: 2, seed: 5, steps: [0, 49], commands: 10 },
      (s) => (out += s),
      () => 0,
    );
    expect(ok).toBe(true);
    expect(out).toMatch(
      /^step {2}0: 2 sequences, \d+ syscalls, 0\.0 s\nstep 49: 2 sequences, \d+ syscalls, 0\.0 s\nchecked 4 sequences, \d+ syscalls at steps 0,49 \(seed 5\)\n$/,
    );
  });

  it("on a failure prints the shrunk sequence, the error and a replay line that reproduces it", () => {
    // A stand-in property that fails whenever a sequence has three commands or more.
    const failing: PropertyAt = (_step, count, maxCommands) =>
      fc.property(fc.array(fc.nat(9), { maxLength: maxCommands }), (xs) => {
        count(xs.length);
        if (xs.length >= 3) throw new Error(`too long: ${xs.length}`);
      });
    let out = "";
    expect(
      runFuzz(
        { runs: 50, seed: 11, steps: [24], commands: 20 },
        (s) => (out += s),
        () => 0,
        failing,
      ),
    ).toBe(false);
    expect(out).toMatch(
      /^step 24: \d+ sequences, \d+ syscalls, 0\.0 s {2}FAILED\n {2}shrunk to: \[0,0,0\]\n {2}error: too long: 3\n {2}replay: pnpm fuzz --steps 24 --seed 11 --runs 50 --commands 20 --path [\d:]+\n/,
    );
    const replay = /--path ([\d:]+)/.exec(out)![1];
    let again = "";
    expect(
      runFuzz(
        parseFuzzArgs(["--steps", "24", "--seed", "11", "--runs", "50", "--commands", "20", "--path", replay], 0),
        (s) => (again += s),
        () => 0,
        failing,
      ),
    ).toBe(false);
    expect(again).toMatch(/^step 24: 1 sequences, \d+ syscalls, 0\.0 s {2}FAILED\n {2}shrunk to: \[0,0,0\]/);
    // Once fixed (here: a property that always holds), the path says so instead of failing.
    const fixed: PropertyAt = (_step, count, maxCommands) =>
      fc.property(fc.array(fc.nat(9), { maxLength: maxCommands }), (xs) => {
        count(xs.length);
      });
    let after = "";
    expect(
      runFuzz(
        { runs: 50, seed: 11, steps: [24], commands: 20, path: replay },
        (s) => (after += s),
        () => 0,
        fixed,
      ),
    ).toBe(true);
    expect(after).toContain(`step 24: --path ${replay} no longer replays to a failure`);
  });
});
