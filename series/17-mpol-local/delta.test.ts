/**
 * Step 17 (mpol-local): MPOL_LOCAL (4) becomes a syscall mode (MPOL_MAX 4 -> 5), stored as
 * MPOL_PREFERRED + MPOL_F_LOCAL (local allocation, printed "local").
 */
import { describe, expect, it } from "vitest";
import {
  EINVAL,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_BIND,
  MPOL_F_ADDR,
  MPOL_LOCAL,
  MPOL_PREFERRED,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  nodeMask,
  pageToNid,
} from "@balancenuma/include-linux";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const MAXNODE = 3; // 2 nodes: get_nodes reads maxnode - 1 bits

/** A process on node 1 whose task policy binds to node 0, with 4 pages mbind'ed MPOL_LOCAL. */
function run(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
  const t = k.createProcess({ comm: "local", cpusAllowed: 0b1100n });
  const u = k.userApi(t);
  const setLocal = u.setMempolicy(MPOL_LOCAL, null, 0);
  const setLocalMask = u.setMempolicy(MPOL_LOCAL, nodeMask(1), MAXNODE);
  expect(u.setMempolicy(MPOL_BIND, nodeMask(0), MAXNODE)).toBe(0);
  const a = u.mmap(0, 4 * PAGE_SIZE, RW, ANON);
  const mbind = u.mbind(a, 4 * PAGE_SIZE, MPOL_LOCAL, null, 0, 0);
  u.touch(a, 4, PAGE_SIZE, 8, true, TOUCH_LATENCY);
  const vma = k.memory.findVma(t.mm!, a)!;
  const nodes = [0, 1, 2, 3].map((i) => pageToNid(k.pages, k.memory.followPage(k, vma, a + i * PAGE_SIZE, 0)));
  const out = { mode: -1, nodemask: -1n };
  expect(u.getMempolicy(out, 1024, a, MPOL_F_ADDR)).toBe(0); // 3.7: maxnode >= MAX_NUMNODES
  k.checkInvariants();
  return { setLocal, setLocalMask, mbind, nodes, policy: k.mempolicy.mpolToStr(vma.policy), reported: out };
}

describe("step 17: MPOL_LOCAL is a real policy", () => {
  it("mode 4 is -EINVAL at 16 and accepted at 17 (with an empty nodemask only)", () => {
    const [before, after] = [run(16), run(17)];
    expect([before.setLocal, before.mbind]).toEqual([-EINVAL, -EINVAL]);
    expect([after.setLocal, after.mbind]).toEqual([0, 0]);
    expect(after.setLocalMask).toBe(-EINVAL);
  });

  it("an MPOL_LOCAL range allocates on the faulting CPU's node and shows as local", () => {
    const [before, after] = [run(16), run(17)];
    expect(before.nodes).toEqual([0, 0, 0, 0]); // the task's bind policy
    expect(after.nodes).toEqual([1, 1, 1, 1]);
    expect(before.policy).toBe("default");
    expect(after.policy).toBe("local");
    // get_mempolicy reports the stored form: MPOL_PREFERRED with no nodes.
    expect(after.reported).toEqual({ mode: MPOL_PREFERRED, nodemask: 0n });
  });
});
