/**
 * Step 19 (mpol-misplaced): mpol_misplaced() and MPOL_F_MOF. Nothing calls it at runtime yet and no
 * policy has MOF (the first setter is step 23), so the delta is the function: given a MOF policy it
 * names the node a page should move to; before the step there is no such answer (-1).
 */
import { describe, expect, it } from "vitest";
import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_BIND,
  MPOL_F_MOF,
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

/**
 * Pages on node 0, then the range's policy becomes `mode` over `nodes` (mbind without MOVE, so the
 * pages stay) with MPOL_F_MOF added by hand, as step 23's mbind(MPOL_MF_LAZY) would.
 */
function misplaced(step: number, mode: number, nodes: bigint, mof = true): number[] {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
  const t = k.createProcess({ comm: "mof", cpusAllowed: 0b0011n });
  const u = k.userApi(t);
  const a = u.mmap(0, 2 * PAGE_SIZE, RW, ANON);
  u.touch(a, 2, PAGE_SIZE, 8, true, TOUCH_LATENCY);
  expect(u.mbind(a, 2 * PAGE_SIZE, mode, nodes, MAXNODE, 0)).toBe(0);
  const vma = k.memory.findVma(t.mm!, a)!;
  if (mof) vma.policy!.flags |= MPOL_F_MOF;
  k.current = t;
  return [0, 1].map((i) => k.mempolicy.mpolMisplaced(k, k.memory.followPage(k, vma, a + i * PAGE_SIZE, 0), vma, a + i * PAGE_SIZE));
}

describe("step 19: mpol_misplaced", () => {
  it("a MOF policy preferring node 1 reports node-0 pages as misplaced at 19, not at 18", () => {
    expect(misplaced(18, MPOL_PREFERRED, nodeMask(1))).toEqual([-1, -1]);
    expect(misplaced(19, MPOL_PREFERRED, nodeMask(1))).toEqual([1, 1]);
  });

  it("pages already where the policy wants them, and policies without MOF, are never misplaced", () => {
    expect(misplaced(19, MPOL_PREFERRED, nodeMask(0))).toEqual([-1, -1]);
    expect(misplaced(19, MPOL_BIND, nodeMask(0, 1))).toEqual([-1, -1]);
    expect(misplaced(19, MPOL_PREFERRED, nodeMask(1), false)).toEqual([-1, -1]);
  });

  it("BIND outside the mask names the mask's node", () => {
    expect(misplaced(18, MPOL_BIND, nodeMask(1))).toEqual([-1, -1]);
    expect(misplaced(19, MPOL_BIND, nodeMask(1))).toEqual([1, 1]);
  });
});
