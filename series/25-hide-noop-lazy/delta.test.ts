/**
 * Step 25 (hide-noop-lazy): MPOL_NOOP is removed (MPOL_MAX 5 again: mode 5 -> -EINVAL) and
 * MPOL_MF_LAZY leaves MPOL_MF_VALID (flag 8 -> -EINVAL). MPOL_LOCAL stays; change_prot_numa stays
 * for kernel-internal use.
 */
import { describe, expect, it } from "vitest";
import {
  EINVAL,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_LOCAL,
  MPOL_MF_LAZY,
  MPOL_MF_MOVE,
  MPOL_NOOP,
  MPOL_PREFERRED,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  nodeMask,
} from "@balancenuma/include-linux";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const MAXNODE = 3;

function run(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true, features: { CONFIG_NUMA_BALANCING: true } });
  const t = k.createProcess({ comm: "hide" });
  const u = k.userApi(t);
  const a = u.mmap(0, 4 * PAGE_SIZE, RW, ANON);
  u.touch(a, 4, PAGE_SIZE, 8, true, TOUCH_LATENCY);
  const vma = k.memory.findVma(t.mm!, a)!;
  return {
    setNoop: u.setMempolicy(MPOL_NOOP, null, 0),
    mbindNoop: u.mbind(a, 4 * PAGE_SIZE, MPOL_NOOP, null, 0, 0),
    lazy: u.mbind(a, 4 * PAGE_SIZE, MPOL_PREFERRED, nodeMask(1), MAXNODE, MPOL_MF_MOVE | MPOL_MF_LAZY),
    local: u.setMempolicy(MPOL_LOCAL, null, 0),
    // The kernel-internal marker is still there.
    marked: k.mempolicy.changeProtNuma(k, vma, a, a + 4 * PAGE_SIZE),
  };
}

describe("step 25: MPOL_NOOP and MPOL_MF_LAZY hidden from user space", () => {
  it("mode 5 and flag 8 are accepted at 24 and -EINVAL at 25", () => {
    const before = run(24);
    expect([before.setNoop, before.lazy]).toEqual([0, 0]);
    expect(before.mbindNoop).not.toBe(-EINVAL);
    const after = run(25);
    expect([after.setNoop, after.mbindNoop, after.lazy]).toEqual([-EINVAL, -EINVAL, -EINVAL]);
  });

  it("MPOL_LOCAL and change_prot_numa remain", () => {
    const after = run(25);
    expect(after.local).toBe(0);
    expect(after.marked).toBe(4);
  });
});
