/**
 * The fuzzer's fixed CI budget: a few random syscall sequences per step, with a fixed seed so CI
 * runs the same ones (`pnpm fuzz` runs as many as asked, with any seed).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FUZZ_STEPS, stepProperty } from "../fuzz/model.js";

/** Sequences per step in CI: about 20 s for the six steps on an idle machine. */
const CI_RUNS = 6;
const CI_SEED = 20121206;

describe("random syscall sequences keep the kernel consistent (fast-check model)", () => {
  it.each(FUZZ_STEPS)("step %i", (step) => {
    let syscalls = 0;
    fc.assert(stepProperty(step, (n) => (syscalls += n), 25), { numRuns: CI_RUNS, seed: CI_SEED + step });
    expect(syscalls).toBeGreaterThan(0);
  });
});
