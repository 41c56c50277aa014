/**
 * Step 45 "mm: numa: Add THP migration for the NUMA working set scanning fault case" (with its
 * build fix): a misplaced THP migrates whole (migrate_misplaced_transhuge_page) instead of being
 * split into 512 hinted ptes that then fault and migrate one by one. It counts 512 in
 * pgmigrate_success and numa_pages_migrated at once, emits no mm_migrate_pages event, keeps
 * last_nid, and leaves a present, dirty, writable huge pmd on the new node.
 */
import { describe, it, expect } from "vitest";
import {
  HPAGE_PMD_NR,
  HPAGE_SIZE,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PAGE_SIZE,
  PG_buddy,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  pmdIndex,
  pageMapcount,
  pageToNid,
} from "@balancenuma/include-linux";
import { _PAGE_DIRTY, _PAGE_PRESENT, _PAGE_PSE, _PAGE_RW, pmdNuma } from "@balancenuma/arch-x86-pgtable";
import { NUMA_HINT_FAULTS, NUMA_PAGE_MIGRATE, PGMIGRATE_SUCCESS, THP_SPLIT } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";
import { remoteSweep } from "../testing.js";

/**
 * A process whose THP sits on node 0 and whose huge pmd carries the NUMA hint the scanner's
 * change_prot_numa gives it, now running on node 1, with last_nid already 1 so the two-stage
 * filter lets the first fault migrate.
 */
function misplacedThp(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=1,mem=32M", thp: "always", debug: true, trace: ["migrate:mm_migrate_pages"] });
  const t = k.createProcess({ cpusAllowed: 1n });
  const u = k.userApi(t);
  const addr = u.mmap(0, 2 * HPAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const haddr = Math.ceil(addr / HPAGE_SIZE) * HPAGE_SIZE;
  expect(u.touch(haddr, 1, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(1);
  const pt = t.mm!.pgtable;
  const pi = pmdIndex(haddr);
  expect(pt.pmdFlags[pi] & _PAGE_PSE).toBeTruthy();
  const head = pt.pmdVal[pi];
  expect(pageToNid(k.pages, head)).toBe(0);
  expect(k.mempolicy.changeProtNuma(k, k.memory.findVma(t.mm!, haddr)!, haddr, haddr + HPAGE_SIZE)).toBe(HPAGE_PMD_NR);
  expect(pmdNuma(k, pt.pmdFlags[pi])).toBe(true);
  k.pages.lastNid[head] = 1;
  expect(k.sched.setCpusAllowed(k, t, 2n)).toBe(0);
  const u1 = k.userApi(t);
  expect(u1.getcpu().node).toBe(1);
  return { k, t, u: u1, haddr, pi, pt, head };
}

describe("step 45: a misplaced THP migrates whole", () => {
  it("one hinting fault moves all 512 pages as one huge page (step 44 splits it and migrates 4K pages per fault)", () => {
    const after = misplacedThp(45);
    expect(after.u.touch(after.haddr, HPAGE_PMD_NR, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(HPAGE_PMD_NR);
    const { k, pt, pi, head } = after;
    const f = pt.pmdFlags[pi];
    expect(f & (_PAGE_PSE | _PAGE_PRESENT | _PAGE_DIRTY | _PAGE_RW)).toBe(_PAGE_PSE | _PAGE_PRESENT | _PAGE_DIRTY | _PAGE_RW);
    expect(pmdNuma(k, f)).toBe(false);
    const nhead = pt.pmdVal[pi];
    expect(pageToNid(k.pages, nhead)).toBe(1);
    expect(k.pages.lastNid[nhead]).toBe(1);
    expect(k.pages.flags[head] & PG_buddy).toBeTruthy();
    expect(k.vm.events[THP_SPLIT]).toBe(0);
    expect(k.vm.events[NUMA_HINT_FAULTS]).toBe(1);
    expect(k.vm.events[PGMIGRATE_SUCCESS]).toBe(HPAGE_PMD_NR);
    expect(k.vm.events[NUMA_PAGE_MIGRATE]).toBe(HPAGE_PMD_NR);
    expect(k.trace.events).toHaveLength(0); // not through migrate_pages
    k.checkInvariants();

    const before = misplacedThp(44);
    expect(before.u.touch(before.haddr, HPAGE_PMD_NR, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(HPAGE_PMD_NR);
    expect(before.pt.pmdFlags[before.pi] & _PAGE_PSE).toBe(0);
    expect(before.k.vm.events[THP_SPLIT]).toBe(1);
    expect(before.k.vm.events[NUMA_HINT_FAULTS]).toBe(1 + HPAGE_PMD_NR);
    expect(before.k.vm.events[PGMIGRATE_SUCCESS]).toBe(HPAGE_PMD_NR);
    expect(before.k.trace.events).toHaveLength(HPAGE_PMD_NR);
    before.k.checkInvariants();
  });

  it("a THP that cannot move (shared) keeps its place; the hint is cleared", () => {
    const s = misplacedThp(45);
    s.k.userApi(s.t).fork({ run: (cu) => cu.sleep(1e12) }, "child");
    s.k.userApi(s.t);
    expect(pageMapcount(s.k.pages, s.head)).toBe(2);
    s.u.touch(s.haddr, 1, PAGE_SIZE, 64, false, TOUCH_STREAM);
    expect(s.pt.pmdVal[s.pi]).toBe(s.head);
    expect(pmdNuma(s.k, s.pt.pmdFlags[s.pi])).toBe(false);
    expect(s.k.vm.events[PGMIGRATE_SUCCESS]).toBe(0);
    s.k.checkInvariants();
  });

  it("end to end: the scanner hints a remote THP buffer and it moves as whole huge pages (split into 4K pages at 44)", () => {
    const at = (step: number) => remoteSweep(step, { mib: 64, seconds: 4 }).vm.events;
    const whole = at(45);
    expect(whole[PGMIGRATE_SUCCESS]).toBe(64 * 256); // the whole buffer
    expect(whole[THP_SPLIT]).toBe(0);
    expect(whole[NUMA_HINT_FAULTS]).toBeLessThan(4 * 32); // a few huge faults per THP, no 4K ones
    const split = at(44);
    expect(split[PGMIGRATE_SUCCESS]).toBe(64 * 256);
    expect(split[THP_SPLIT]).toBe(32);
    expect(split[NUMA_HINT_FAULTS]).toBeGreaterThan(64 * 256); // every 4K page faulted on its own
  });
});
