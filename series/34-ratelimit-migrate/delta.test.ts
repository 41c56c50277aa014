/**
 * Step 34 "mm: numa: Rate limit the amount of memory that is migrated between nodes": before
 * isolating a misplaced page, migrate_misplaced_page charges it to the destination node's 100 ms
 * window and refuses once the window already holds more than ratelimit_pages (128 MB = 32768
 * pages). The charge comes before the attempt and is never refunded; a window restarts only when
 * an attempt arrives after it ended.
 */
import { describe, it, expect } from "vitest";
import { GFP_KERNEL, MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM, nodeMask, pageToNid } from "@balancenuma/include-linux";
import { PGMIGRATE_SUCCESS } from "@balancenuma/vmstat";
import { RATELIMIT_PAGES } from "@balancenuma/mm-migrate";
import { bootAtStep } from "../boot.js";

/** A kernel at `step` with a process on CPU 0 owning `n` pages on node 0, and a do_numa_page-like migrate call. */
function setup(step: number, n: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=1,mem=16M", thp: "never", debug: true });
  const t = k.createProcess({ cpusAllowed: 1n });
  const u = k.userApi(t);
  const addr = u.mmap(0, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  u.touch(addr, n, PAGE_SIZE, 64, true, TOUCH_STREAM);
  const vma = k.memory.findVma(t.mm!, addr)!;
  const pfnOf = (i: number) => k.memory.followPage(k, vma, addr + i * PAGE_SIZE, 0);
  const migrate = (i: number): number => {
    const pfn = pfnOf(i);
    k.pages.refcount[pfn]++;
    return k.migrate.migrateMisplacedPage(k, pfn, 1);
  };
  k.cpus[0].clock += 10_000_000; // past the boot window
  return { k, t, u, migrate, pfnOf, pgdat: () => k.migrate.misplaced.pgdat(k, 1)! };
}

describe("step 34: misplaced-page migration is rate limited per destination node", () => {
  it("each attempt charges the destination's window; step 33 charges nothing", () => {
    const before = setup(33, 3);
    const after = setup(34, 3);
    for (let i = 0; i < 3; i++) {
      expect(before.migrate(i)).toBe(1);
      expect(after.migrate(i)).toBe(1);
    }
    expect(before.pgdat().nrPages).toBe(0);
    expect(after.pgdat().nrPages).toBe(3);
    expect(after.pgdat().nextWindow).toBe(after.k.jiffies() + 25); // 100 ms at HZ=250
  });

  it("admits attempts while the window holds at most 32768 pages (strict >), then refuses and drops the reference", () => {
    const moved = (step: number) => {
      const s = setup(step, 5);
      expect(s.migrate(0)).toBe(1); // opens the window
      s.pgdat().nrPages = RATELIMIT_PAGES - 1; // as if 32766 more had gone this window
      const r = [1, 2, 3, 4].map((i) => s.migrate(i));
      s.k.checkInvariants();
      return { s, r };
    };
    const { r: r33 } = moved(33);
    expect(r33).toEqual([1, 1, 1, 1]);
    const { s, r } = moved(34);
    expect(r).toEqual([1, 1, 0, 0]);
    expect(s.pgdat().nrPages).toBe(RATELIMIT_PAGES + 1);
    expect(s.k.vm.events[PGMIGRATE_SUCCESS]).toBe(3);
    const refused = s.pfnOf(3);
    expect(pageToNid(s.k.pages, refused)).toBe(0);
    expect(s.k.pages.refcount[refused]).toBe(1);
  });

  it("charges refused-for-room attempts too (before isolation, never refunded)", () => {
    const s = setup(34, 2);
    while (s.k.pageAlloc.watermarkOk(s.k, 1, "high", 1)) s.k.pageAlloc.allocPages(s.k, GFP_KERNEL, 0, 1, nodeMask(1));
    expect(s.migrate(0)).toBe(0);
    expect(s.migrate(1)).toBe(0);
    expect(s.pgdat().nrPages).toBe(2);
  });

  it("a full window restarts only with an attempt after its end", () => {
    const s = setup(34, 2);
    expect(s.migrate(0)).toBe(1);
    s.pgdat().nrPages = RATELIMIT_PAGES + 1;
    const end = s.pgdat().nextWindow;
    s.k.runFor(120_000_000); // the clock passes the window; nothing resets it
    expect(s.pgdat().nrPages).toBe(RATELIMIT_PAGES + 1);
    s.k.userApi(s.t);
    expect(s.k.jiffies()).toBeGreaterThan(end);
    expect(s.migrate(1)).toBe(1);
    expect(s.pgdat().nrPages).toBe(1);
  });
});
