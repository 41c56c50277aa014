/**
 * Step 39 "mm: numa: migrate: Set last_nid on newly allocated page": alloc_misplaced_dst_page
 * copies the old page's last_nid into the target page, so a page that just migrated keeps the
 * node that last faulted on it instead of starting over at -1.
 */
import { describe, it, expect } from "vitest";
import { LAST_NID_NONE, MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM, pageToNid } from "@balancenuma/include-linux";
import { bootAtStep } from "../boot.js";

/** Migrate a page whose last_nid is `lastNid` from node 0 to node 1 at `step`: the new page's last_nid. */
function migratedLastNid(step: number, lastNid: number): number {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=1,mem=16M", thp: "never", debug: true });
  const t = k.createProcess({ cpusAllowed: 1n });
  const u = k.userApi(t);
  const addr = u.mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  u.touch(addr, 1, PAGE_SIZE, 64, true, TOUCH_STREAM);
  const vma = k.memory.findVma(t.mm!, addr)!;
  const pfn = k.memory.followPage(k, vma, addr, 0);
  k.pages.lastNid[pfn] = lastNid; // as page_xchg_last_nid left it
  k.pages.refcount[pfn]++;
  expect(k.migrate.migrateMisplacedPage(k, pfn, 1)).toBe(1);
  const now = k.memory.followPage(k, vma, addr, 0);
  expect(pageToNid(k.pages, now)).toBe(1);
  k.checkInvariants();
  return k.pages.lastNid[now];
}

describe("step 39: the migration target inherits last_nid", () => {
  it("carries the old page's last_nid from step 39; a fresh -1 before", () => {
    expect(migratedLastNid(38, 1)).toBe(LAST_NID_NONE);
    expect(migratedLastNid(39, 1)).toBe(1);
    expect(migratedLastNid(39, 0)).toBe(0);
  });
});
