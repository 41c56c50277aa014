/**
 * Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS, a shmem object) as 3.7 has it: the pages
 * live in the object and are shared by every process mapping it (fork shares, no copy-on-write);
 * mbind on any mapping sets the object's shared policy; move_pages/migrate_pages move a page
 * mapped by several processes only with MPOL_MF_MOVE_ALL; NUMA hinting marks and migrates only
 * pages mapped once (steps 24 and 32 on); numa_maps shows `file=/dev/zero\040(deleted)`.
 */
import { describe, expect, it } from "vitest";
import {
  EACCES,
  EINVAL,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MAP_SHARED,
  MPOL_BIND,
  MPOL_F_ADDR,
  MPOL_F_NODE,
  MPOL_INTERLEAVE,
  MPOL_MF_MOVE,
  MPOL_MF_MOVE_ALL,
  PAGE_SIZE,
  PG_buddy,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  nodeMask,
  pageMapcount,
  type Vma,
  pageToNid,
} from "@balancenuma/include-linux";
import { renderNumaMaps } from "@balancenuma/kernel";
import { NR_ANON_PAGES, NR_FREE_PAGES, NUMA_PAGE_MIGRATE } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const SHARED = MAP_SHARED | MAP_ANONYMOUS;
const N = 8;

/** A process on node 1 (CPUs 2-3) with N pages of shared anonymous memory, written. */
function boot(step = 0) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=64M", debug: true, thp: "always" });
  const t = k.createProcess({ comm: "shm", cpusAllowed: 0b1100n });
  const u = k.userApi(t);
  const a = u.mmap(0, N * PAGE_SIZE, RW, SHARED);
  const pages = Array.from({ length: N }, (_, i) => a + i * PAGE_SIZE);
  return { k, t, u, a, pages };
}

const free = (k: ReturnType<typeof boot>["k"]) => k.vm.nodeStat[0][NR_FREE_PAGES] + k.vm.nodeStat[1][NR_FREE_PAGES];
const pfnAt = (k: ReturnType<typeof boot>["k"], vma: Vma, addr: number) => k.memory.followPage(k, vma, addr, 0);

describe("shared anonymous memory (shmem)", () => {
  it("mmap(MAP_SHARED|MAP_ANONYMOUS) maps a shmem object; both or neither of SHARED and PRIVATE is EINVAL", () => {
    const { k, t, u, a } = boot();
    expect(a).toBeGreaterThan(0);
    expect(k.memory.findVma(t.mm!, a)!.shm).toBeDefined();
    expect(u.mmap(0, PAGE_SIZE, RW, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS)).toBe(-EINVAL);
    expect(u.mmap(0, PAGE_SIZE, RW, MAP_ANONYMOUS)).toBe(-EINVAL);
  });

  it("read faults allocate (no zero page), pages are not anonymous, and fork shares them without copy-on-write", () => {
    const { k, t, u, a, pages } = boot();
    expect(u.touch(a, N, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(N);
    expect(k.memory.stats.shmemPagesAllocated).toBe(N);
    expect(k.vm.nodeStat[1][NR_ANON_PAGES]).toBe(0);
    const vma = k.memory.findVma(t.mm!, a)!;
    const before = pages.map((x) => pfnAt(k, vma, x));
    expect(before.every((p) => p > 1 && pageToNid(k.pages, p) === 1)).toBe(true);
    const child = k.userApi(u.fork());
    // The child faults the object's pages in (3.7 copies no pte of a vma without an anon_vma) and writes them in place.
    expect(child.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(N);
    const cvma = k.memory.findVma(child.task.mm!, a)!;
    expect(pages.map((x) => pfnAt(k, cvma, x))).toEqual(before);
    expect(u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(N);
    expect(pages.map((x) => pfnAt(k, vma, x))).toEqual(before);
    expect(before.every((p) => pageMapcount(k.pages, p) === 2)).toBe(true);
    expect(k.memory.stats.shmemPagesAllocated).toBe(N);
    expect(k.memory.stats.wpCopies).toBe(0);
    k.checkInvariants();
  });

  it("the pages outlive a mapping and are freed with the last one", () => {
    const { k, t, u, a, pages } = boot();
    u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    const vma = k.memory.findVma(t.mm!, a)!;
    const pfns = pages.map((x) => pfnAt(k, vma, x));
    const child = k.userApi(u.fork());
    expect(u.munmap(a, N * PAGE_SIZE)).toBe(0);
    k.checkInvariants();
    // The child still reads the parent's data: the same pages, no new allocation.
    expect(child.touch(a, N, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(N);
    expect(k.memory.stats.shmemPagesAllocated).toBe(N);
    expect(pfns.every((p) => !(k.pages.flags[p] & PG_buddy))).toBe(true);
    const freeBefore = free(k);
    expect(child.munmap(a, N * PAGE_SIZE)).toBe(0);
    expect(pfns.every((p) => k.pages.flags[p] & PG_buddy)).toBe(true);
    expect(free(k) - freeBefore).toBe(N + 1); // and the child's pte page
    k.checkInvariants();
  });

  it("mbind on one process's mapping sets the object's shared policy: the other process's faults follow it", () => {
    const { k, u, a } = boot();
    const child = k.userApi(u.fork());
    // The child binds the second half to node 0; the parent (on node 1) then faults all pages.
    expect(child.mbind(a + (N / 2) * PAGE_SIZE, (N / 2) * PAGE_SIZE, MPOL_BIND, nodeMask(0), 3, 0)).toBe(0);
    expect(u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(N);
    const status: number[] = [];
    expect(
      u.movePages(
        0,
        Array.from({ length: N }, (_, i) => a + i * PAGE_SIZE),
        null,
        status,
        0,
      ),
    ).toBe(0);
    expect(status).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    // get_mempolicy(MPOL_F_ADDR) in the parent reports the object's policy, though the parent never called mbind.
    const out = { mode: -1, nodemask: 0n };
    expect(u.getMempolicy(out, 1024, a + (N - 1) * PAGE_SIZE, MPOL_F_ADDR)).toBe(0);
    expect(out).toMatchObject({ mode: MPOL_BIND, nodemask: nodeMask(0) });
    expect(u.getMempolicy(out, 1024, a, MPOL_F_ADDR)).toBe(0);
    expect(out.mode).toBe(0);
    expect(u.getMempolicy(out, 0, a + (N - 1) * PAGE_SIZE, MPOL_F_NODE | MPOL_F_ADDR)).toBe(0);
    expect(out.mode).toBe(0);
    expect(renderNumaMaps(k, u.task)).toBe(`${a.toString(16)} default file=/dev/zero\\040(deleted) dirty=${N} active=0 N0=${N / 2} N1=${N / 2}\n`);
    k.checkInvariants();
  });

  it("interleave over a shared mapping goes by the page's offset in the object", () => {
    const { u, a } = boot();
    expect(u.mbind(a, N * PAGE_SIZE, MPOL_INTERLEAVE, nodeMask(0, 1), 3, 0)).toBe(0);
    u.touch(a + 3 * PAGE_SIZE, 5, PAGE_SIZE, 8, true, TOUCH_LATENCY); // faults in offset order 3..7
    u.touch(a, 3, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    const status: number[] = [];
    u.movePages(
      0,
      Array.from({ length: N }, (_, i) => a + i * PAGE_SIZE),
      null,
      status,
      0,
    );
    expect(status).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
  });

  it("move_pages: a page mapped by two processes is EACCES to MPOL_MF_MOVE, moves with MOVE_ALL, for both", () => {
    const { k, u, a } = boot();
    u.touch(a, 2, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    const child = k.userApi(u.fork());
    child.touch(a, 1, PAGE_SIZE, 8, false, TOUCH_LATENCY); // page 0 mapped by both, page 1 by the parent only
    const status: number[] = [];
    expect(u.movePages(0, [a, a + PAGE_SIZE], [0, 0], status, MPOL_MF_MOVE)).toBe(0);
    expect(status).toEqual([-EACCES, 0]);
    expect(u.movePages(0, [a], [0], status, MPOL_MF_MOVE_ALL)).toBe(0);
    expect(status[0]).toBe(0);
    k.checkInvariants();
    // The child maps the moved page: its status says node 0 and its data is the same page.
    expect(child.movePages(0, [a], null, status, 0)).toBe(0);
    expect(status[0]).toBe(0);
    const pv = k.memory.findVma(u.task.mm!, a)!;
    const cv = k.memory.findVma(child.task.mm!, a)!;
    expect(pfnAt(k, cv, a)).toBe(pfnAt(k, pv, a));
    expect(child.touch(a, 2, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(2);
    expect(pfnAt(k, cv, a + PAGE_SIZE)).toBe(pfnAt(k, pv, a + PAGE_SIZE));
    k.checkInvariants();
  });

  it("migrate_pages moves shared pages only with CAP_SYS_NICE's MOVE_ALL, unshared ones always", () => {
    const { k, u, a } = boot();
    u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    const child = k.userApi(u.fork());
    child.touch(a, N / 2, PAGE_SIZE, 8, false, TOUCH_LATENCY); // the first half mapped by both
    expect(child.setresuid(1000, 1000, 1000)).toBe(0); // no CAP_SYS_NICE: migrate_pages moves only unshared pages
    expect(child.migratePages(0, 3, nodeMask(1), nodeMask(0))).toBe(0);
    const status: number[] = [];
    u.movePages(
      0,
      Array.from({ length: N }, (_, i) => a + i * PAGE_SIZE),
      null,
      status,
      0,
    );
    expect(status).toEqual([1, 1, 1, 1, 1, 1, 1, 1]); // the child's mapped pages are all shared
    expect(u.migratePages(0, 3, nodeMask(1), nodeMask(0))).toBe(0); // root: MOVE_ALL
    u.movePages(
      0,
      Array.from({ length: N }, (_, i) => a + i * PAGE_SIZE),
      null,
      status,
      0,
    );
    expect(status).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    k.checkInvariants();
  });

  it.each([26, 32, 49])("NUMA hinting (step %i) marks and migrates pages mapped once, never shared ones", (step) => {
    const { k, t, u, a } = boot(step);
    // Written while bound to node 0, then used from node 1.
    expect(u.mbind(a, N * PAGE_SIZE, MPOL_BIND, nodeMask(0), 3, 0)).toBe(0);
    u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    expect(u.mbind(a, N * PAGE_SIZE, 0, null, 3, 0)).toBe(0);
    const child = k.userApi(u.fork());
    child.touch(a, N / 2, PAGE_SIZE, 8, false, TOUCH_LATENCY); // the first half shared
    const vma = k.memory.findVma(t.mm!, a)!;
    const migrated = k.vm.events[NUMA_PAGE_MIGRATE] ?? 0;
    // Two scan passes, each followed by hinting faults from node 1 (step 40's filter wants two).
    for (let pass = 0; pass < 2; pass++) {
      expect(k.mempolicy.changeProtNuma(k, vma, a, a + N * PAGE_SIZE)).toBe(N / 2);
      u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    }
    const status: number[] = [];
    u.movePages(
      0,
      Array.from({ length: N }, (_, i) => a + i * PAGE_SIZE),
      null,
      status,
      0,
    );
    if (step >= 32) {
      // Step 31's migrate-on-reference: unshared pages follow the CPU that touches them.
      expect(status).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
      expect((k.vm.events[NUMA_PAGE_MIGRATE] ?? 0) - migrated).toBe(N / 2);
    } else expect(status).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    k.checkInvariants();
  });
});
