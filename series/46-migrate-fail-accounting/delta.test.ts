/**
 * Step 46 "mm: numa: Account for failed allocations and isolations as migration failures":
 * migrate_misplaced_transhuge_page adds HPAGE_PMD_NR to pgmigrate_fail when it cannot allocate
 * the huge target page or cannot isolate the THP (step 45 counted only the pmd-changed race).
 * Shared THPs and rate-limited nodes still count nothing.
 */
import { describe, it, expect } from "vitest";
import {
  GFP_KERNEL,
  HPAGE_PMD_NR,
  HPAGE_PMD_ORDER,
  HPAGE_SIZE,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PAGE_SIZE,
  PG_locked,
  PG_lru,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  nodeMask,
  pmdIndex,
  pageToNid,
} from "@balancenuma/include-linux";
import { pmdNuma } from "@balancenuma/arch-x86-pgtable";
import { PGMIGRATE_FAIL, PGMIGRATE_SUCCESS } from "@balancenuma/vmstat";
import { type KernelInstance } from "@balancenuma/kernel";
import { bootAtStep } from "../boot.js";
import { remoteSweep } from "../testing.js";

/** A THP on node 0 with the scanner's NUMA hint on its pmd and last_nid 1; the task now runs on node 1. */
function misplacedThp(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=1,mem=32M", thp: "always", debug: true });
  const t = k.createProcess({ cpusAllowed: 1n });
  const u = k.userApi(t);
  const addr = u.mmap(0, 2 * HPAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const haddr = Math.ceil(addr / HPAGE_SIZE) * HPAGE_SIZE;
  u.touch(haddr, 1, PAGE_SIZE, 64, true, TOUCH_STREAM);
  const pt = t.mm!.pgtable;
  const pi = pmdIndex(haddr);
  const head = pt.pmdVal[pi];
  k.mempolicy.changeProtNuma(k, k.memory.findVma(t.mm!, haddr)!, haddr, haddr + HPAGE_SIZE);
  k.pages.lastNid[head] = 1;
  k.sched.setCpusAllowed(k, t, 2n);
  return { k, t, u: k.userApi(t), haddr, pi, pt, head, vma: k.memory.findVma(t.mm!, haddr)! };
}

/** Take every whole 2 MiB block of `nid` (and split one more), so no THP can be allocated there. */
function exhaustHugeBlocks(k: KernelInstance, nid: number): void {
  while (k.pageAlloc.allocPages(k, GFP_KERNEL, HPAGE_PMD_ORDER, nid, nodeMask(nid)) >= 0);
  k.pageAlloc.allocPages(k, GFP_KERNEL, 0, nid, nodeMask(nid));
}

describe("step 46: THP migration failures count in pgmigrate_fail", () => {
  it("no huge page on the target node: +512 pgmigrate_fail from step 46 (0 at 45); the THP stays and the hint is cleared", () => {
    const fails = (step: number) => {
      const s = misplacedThp(step);
      exhaustHugeBlocks(s.k, 1);
      s.u.touch(s.haddr, 1, PAGE_SIZE, 64, true, TOUCH_STREAM);
      expect(s.pt.pmdVal[s.pi]).toBe(s.head);
      expect(pageToNid(s.k.pages, s.head)).toBe(0);
      expect(pmdNuma(s.k, s.pt.pmdFlags[s.pi])).toBe(false);
      expect(s.k.vm.events[PGMIGRATE_SUCCESS]).toBe(0);
      s.k.checkInvariants();
      return s.k.vm.events[PGMIGRATE_FAIL];
    };
    expect(fails(45)).toBe(0);
    expect(fails(46)).toBe(HPAGE_PMD_NR);
  });

  it("isolation failure (the THP is off the LRU): +512 from step 46, the new page is freed", () => {
    const fails = (step: number) => {
      const s = misplacedThp(step);
      const { k, head } = s;
      k.pages.flags[head] &= ~PG_lru; // isolated by someone else
      const free1 = k.pageAlloc.nodeFreePages(1);
      // As do_huge_pmd_numa_page calls it: with a reference and the page lock.
      k.pages.refcount[head]++;
      k.pages.flags[head] |= PG_locked;
      expect(k.migrate.migrateMisplacedTranshugePage(k, s.t.mm!, s.vma, s.pi, s.haddr, head, 1)).toBe(0);
      expect(k.pageAlloc.nodeFreePages(1)).toBe(free1);
      expect(k.pages.refcount[head]).toBe(1);
      return k.vm.events[PGMIGRATE_FAIL];
    };
    expect(fails(45)).toBe(0);
    expect(fails(46)).toBe(HPAGE_PMD_NR);
  });

  it("a shared THP is still refused without counting", () => {
    const s = misplacedThp(46);
    s.u.fork({ run: (cu) => cu.sleep(1e12) }, "child");
    s.k.userApi(s.t).touch(s.haddr, 1, PAGE_SIZE, 64, false, TOUCH_STREAM);
    expect(s.k.vm.events[PGMIGRATE_FAIL]).toBe(0);
  });

  it("end to end: a remote THP buffer whose home node has no free huge page counts its failed migrations from 46", () => {
    const fails = (step: number) =>
      remoteSweep(step, {
        mib: 16,
        seconds: 4,
        setup: (k) => {
          exhaustHugeBlocks(k, 1);
        },
      }).vm.events;
    const at45 = fails(45);
    const at46 = fails(46);
    expect(at45[PGMIGRATE_SUCCESS] + at46[PGMIGRATE_SUCCESS]).toBe(0);
    expect(at45[PGMIGRATE_FAIL]).toBe(0);
    expect(at46[PGMIGRATE_FAIL]).toBeGreaterThan(0);
    expect(at46[PGMIGRATE_FAIL] % HPAGE_PMD_NR).toBe(0);
  });
});
