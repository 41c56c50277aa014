/**
 * Step 18 (mpol-noop): MPOL_NOOP (5, MPOL_MAX 6) is accepted and, at this step, behaves exactly like
 * MPOL_DEFAULT (the "retain the existing policy" part comes at step 23).
 */
import { describe, expect, it } from "vitest";
import { EINVAL, MAP_ANONYMOUS, MAP_PRIVATE, MPOL_BIND, MPOL_DEFAULT, MPOL_NOOP, PAGE_SIZE, PROT_READ, PROT_WRITE, nodeMask } from "@balancenuma/include-linux";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const MAXNODE = 3;

/** Syscall results and the policies left, with mode `mode` after a BIND policy was installed. */
function run(step: number, mode: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
  const t = k.createProcess({ comm: "noop" });
  const u = k.userApi(t);
  const a = u.mmap(0, 4 * PAGE_SIZE, RW, ANON);
  expect(u.setMempolicy(MPOL_BIND, nodeMask(1), MAXNODE)).toBe(0);
  expect(u.mbind(a, 4 * PAGE_SIZE, MPOL_BIND, nodeMask(1), MAXNODE, 0)).toBe(0);
  const withMask = u.setMempolicy(mode, nodeMask(0), MAXNODE);
  const mbind = u.mbind(a, 4 * PAGE_SIZE, mode, null, 0, 0);
  const set = u.setMempolicy(mode, null, 0);
  const vma = k.memory.findVma(t.mm!, a)!;
  return { set, withMask, mbind, task: k.mempolicy.mpolToStr(t.mempolicy), vma: k.mempolicy.mpolToStr(vma.policy), mode6: u.setMempolicy(6, null, 0) };
}

describe("step 18: MPOL_NOOP, handled like MPOL_DEFAULT", () => {
  it("mode 5 is -EINVAL at 17 and accepted at 18; mode 6 stays -EINVAL", () => {
    expect(run(17, MPOL_NOOP)).toMatchObject({ set: -EINVAL, mbind: -EINVAL, task: "bind:1", vma: "bind:1" });
    const after = run(18, MPOL_NOOP);
    expect([after.set, after.mbind, after.withMask, after.mode6]).toEqual([0, 0, -EINVAL, -EINVAL]);
  });

  it("at 18 NOOP gives exactly MPOL_DEFAULT's results (policies removed, not retained)", () => {
    expect(run(18, MPOL_NOOP)).toEqual(run(18, MPOL_DEFAULT));
    expect(run(18, MPOL_NOOP)).toMatchObject({ task: "default", vma: "default" });
  });
});
