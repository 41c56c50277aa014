/**
 * Step 47 "mm: migrate: Account a transhuge page properly when rate limiting": a THP migration
 * charges HPAGE_PMD_NR pages to the destination's window (1 before). The test stays "already
 * more than ratelimit_pages?" before charging, so a window admits 65 THPs (the 65th brings the
 * count from exactly 32768 to 33280), and the scanner's migrate_ratelimited (>=) trips after 64.
 */
import { describe, it, expect } from "vitest";
import {
  HPAGE_PMD_NR,
  HPAGE_SIZE,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  pmdIndex,
  pageToNid,
} from "@balancenuma/include-linux";
import { PGMIGRATE_SUCCESS } from "@balancenuma/vmstat";
import { RATELIMIT_PAGES } from "@balancenuma/mm-migrate";
import { bootAtStep } from "../boot.js";
import { remoteSweep } from "../testing.js";

/** `n` THPs on node 0 with the scanner's NUMA hints on their pmds and last_nid 1; the task now runs on node 1. */
function misplacedThps(step: number, n: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=1,mem=32M", thp: "always", debug: true });
  const t = k.createProcess({ cpusAllowed: 1n });
  const u = k.userApi(t);
  const addr = u.mmap(0, (n + 1) * HPAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const base = Math.ceil(addr / HPAGE_SIZE) * HPAGE_SIZE;
  const haddrs = Array.from({ length: n }, (_, i) => base + i * HPAGE_SIZE);
  const pt = t.mm!.pgtable;
  for (const a of haddrs) {
    u.touch(a, 1, PAGE_SIZE, 64, true, TOUCH_STREAM);
    const pi = pmdIndex(a);
    k.mempolicy.changeProtNuma(k, k.memory.findVma(t.mm!, a)!, a, a + HPAGE_SIZE);
    k.pages.lastNid[pt.pmdVal[pi]] = 1;
  }
  k.sched.setCpusAllowed(k, t, 2n);
  const u1 = k.userApi(t);
  k.cpus[1].clock += 10_000_000; // past the boot window
  /** Fault on THP i; did it move to node 1? */
  const fault = (i: number): boolean => {
    u1.touch(haddrs[i], 1, PAGE_SIZE, 64, true, TOUCH_STREAM);
    return pageToNid(k.pages, pt.pmdVal[pmdIndex(haddrs[i])]) === 1;
  };
  return { k, fault, pgdat: () => k.migrate.misplaced.pgdat(k, 1)! };
}

describe("step 47: a THP charges 512 pages to the rate limit", () => {
  it("one THP migration charges 512 from step 47, 1 before", () => {
    for (const [step, charge] of [
      [46, 1],
      [47, HPAGE_PMD_NR],
    ] as const) {
      const s = misplacedThps(step, 1);
      expect(s.fault(0)).toBe(true);
      expect(s.pgdat().nrPages).toBe(charge);
      expect(s.k.vm.events[PGMIGRATE_SUCCESS]).toBe(HPAGE_PMD_NR);
      s.k.checkInvariants();
    }
  });

  it("after 63 THPs in a window the 64th and 65th are admitted and the 66th refused; the scan gate trips after 64", () => {
    const s = misplacedThps(47, 3);
    expect(s.fault(0)).toBe(true); // opens the window: 512
    s.pgdat().nrPages = 63 * HPAGE_PMD_NR; // as if this window had taken 63 THPs
    expect(s.k.migrate.migrateRatelimited(s.k, 1)).toBe(false);
    expect(s.fault(1)).toBe(true);
    expect(s.pgdat().nrPages).toBe(RATELIMIT_PAGES);
    expect(s.k.migrate.migrateRatelimited(s.k, 1)).toBe(true);
    expect(s.fault(2)).toBe(true);
    expect(s.pgdat().nrPages).toBe(RATELIMIT_PAGES + HPAGE_PMD_NR);
    s.k.checkInvariants();

    const r = misplacedThps(47, 1);
    r.pgdat().nextWindow = r.k.jiffies() + 25;
    r.pgdat().nrPages = RATELIMIT_PAGES + HPAGE_PMD_NR;
    expect(r.fault(0)).toBe(false);

    // Step 46: the same window position charges 1 per THP and stays far from the limit.
    const b = misplacedThps(46, 2);
    expect(b.fault(0)).toBe(true);
    b.pgdat().nrPages = 63 * HPAGE_PMD_NR;
    expect(b.fault(1)).toBe(true);
    expect(b.pgdat().nrPages).toBe(63 * HPAGE_PMD_NR + 1);
    expect(b.k.migrate.migrateRatelimited(b.k, 1)).toBe(false);
  });

  it("end to end: a scan pass over 128 remote THPs moves at most 65 of them in the first 100 ms window from 47", () => {
    const firstWindow = (step: number) => {
      const moved: number[] = []; // THPs migrated by the end of each tick
      // Short scan periods, so the second pass over the buffer (the first one that migrates) comes soon.
      const sysctl = { "kernel.numa_balancing_scan_delay_ms": 100, "kernel.numa_balancing_scan_period_max_ms": 200 };
      remoteSweep(step, { mib: 256, seconds: 2, mem: "1G", sysctl, onTick: (k) => moved.push(k.vm.events[PGMIGRATE_SUCCESS] / HPAGE_PMD_NR) });
      const first = moved.findIndex((n) => n > 0);
      expect(first).toBeGreaterThan(0);
      return moved[first + 24] - moved[first - 1]; // 25 ticks of 4 ms
    };
    expect(firstWindow(46)).toBeGreaterThan(100);
    expect(firstWindow(47)).toBe(65);
  });
});
