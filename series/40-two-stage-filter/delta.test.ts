/**
 * Step 40 (two-stage-filter): under the default MOF | MORON policy a page migrates only on the
 * second consecutive hinting fault from the same node: mpol_misplaced swaps the faulting node into
 * page->_last_nid and says "not misplaced" unless it was already that node.
 */
import { describe, expect, it } from "vitest";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PMD_SIZE, PROT_READ, PROT_WRITE, TOUCH_LATENCY, pageToNid, pteOffset } from "@balancenuma/include-linux";
import { NUMA_PAGE_MIGRATE } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const NODE0 = 0b0011n;
const NODE1 = 0b1100n;

/** A policy-less process with 4 pages on node 0; `round(cpus)` marks them and touches them from `cpus`. */
function boot(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", debug: true });
  const t = k.createProcess({ comm: "filter", cpusAllowed: NODE0 });
  const u = k.userApi(t);
  const raw = u.mmap(0, 2 * PMD_SIZE, RW, ANON);
  const a = Math.ceil(raw / PMD_SIZE) * PMD_SIZE;
  u.touch(a, 4, PAGE_SIZE, 8, true, TOUCH_LATENCY);
  const vma = k.memory.findVma(t.mm!, a)!;
  const pt = t.mm!.pgtable;
  const pfn = (i: number) => pt.ptePfn[pteOffset(pt, a + i * PAGE_SIZE)];
  const round = (cpus: bigint) => {
    expect(k.userApi(t).schedSetaffinity(0, cpus)).toBe(0);
    k.mempolicy.changeProtNuma(k, vma, a, a + 4 * PAGE_SIZE);
    k.userApi(t).touch(a, 4, PAGE_SIZE, 8, false, TOUCH_LATENCY);
    k.checkInvariants();
    return k.vm.events[NUMA_PAGE_MIGRATE];
  };
  return { k, pfn, round };
}

describe("step 40: the two-stage filter", () => {
  it("at 39 the first fault from node 1 migrates; at 40 the first arms and the second migrates", () => {
    expect(boot(39).round(NODE1)).toBe(4);
    const s = boot(40);
    expect(s.k.pages.lastNid[s.pfn(0)]).toBe(-1);
    expect(s.round(NODE1)).toBe(0);
    expect(s.k.pages.lastNid[s.pfn(0)]).toBe(1);
    expect(pageToNid(s.k.pages, s.pfn(0))).toBe(0);
    expect(s.round(NODE1)).toBe(4);
    expect(pageToNid(s.k.pages, s.pfn(0))).toBe(1);
  });

  it("faults alternating between the nodes never migrate at 40", () => {
    const s = boot(40);
    for (const cpus of [NODE1, NODE0, NODE1, NODE0, NODE1]) expect(s.round(cpus)).toBe(0);
    expect(pageToNid(s.k.pages, s.pfn(0))).toBe(0);
  });
});
