import { describe, it, expect } from "vitest";
import {
  EBADF,
  EFAULT,
  EINVAL,
  ENOMEM,
  MADV_DONTNEED,
  MADV_HUGEPAGE,
  MADV_NOHUGEPAGE,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_PRIVATE,
  MAP_SHARED,
  PAGE_SIZE,
  PMD_SIZE,
  PROT_NONE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  TOUCH_STREAM,
  USER_BASE,
  VM_HUGEPAGE,
  FOLL_WRITE,
  FOLL_GET,
  type Features,
  pageMapcount,
} from "@balancenuma/include-linux";
import { NR_ANON_PAGES, NR_FREE_PAGES, NR_PAGETABLE, PGFAULT } from "@balancenuma/vmstat";
import { testbed, type Testbed } from "./testbed.js";
import type { Task } from "@balancenuma/include-linux";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const MiB = 1024 * 1024;

function boot(features: Partial<Features> = {}) {
  const k = testbed({ features, thp: "never" });
  return k;
}
const mmapIn = (k: Testbed, t: Task, len: number, prot = RW, flags = ANON, addr = 0) => k.memory.mmap(k, t.mm!, addr, len, prot, flags);
const touch = (k: Testbed, t: Task, addr: number, pages: number, write = true) =>
  k.memory.userTouch(k, t, addr, pages, PAGE_SIZE, 64, write, TOUCH_STREAM, Infinity);
const free = (k: Testbed) => k.pageAlloc.nodeFreePages(0) + k.pageAlloc.nodeFreePages(1);

describe("first touch", () => {
  it("places pages on the faulting CPU's node and counts one pgfault per page", () => {
    const k = boot();
    const t = k.newTask(2); // CPU 2 is on node 1
    const a = mmapIn(k, t, MiB);
    expect(touch(k, t, a, 256)).toBe(256);
    expect(k.vm.events[PGFAULT]).toBe(256);
    expect(k.vm.nodeStat[1][NR_ANON_PAGES]).toBe(256);
    expect(t.mm!.anonRss).toBe(256);
    expect(t.localTouches).toBe(256);
    expect(t.remoteTouches).toBe(0);
    // Touching again takes no fault.
    expect(touch(k, t, a, 256)).toBe(256);
    expect(k.vm.events[PGFAULT]).toBe(256);
    expect(k.memory.stats.anonFaults).toBe(256);
  });

  it("charges touches by distance and records them as user time and bus busy time", () => {
    const k = boot();
    const t = k.newTask(0);
    const a = mmapIn(k, t, MiB);
    touch(k, t, a, 16);
    k.place(t, 2); // move the task to node 1: its pages are now remote
    k.runAs(t);
    const before = k.cpus[2].clock;
    const ut = t.utimeNs;
    expect(k.memory.userTouch(k, t, a, 16, PAGE_SIZE, 4096, false, TOUCH_STREAM, Infinity)).toBe(16);
    const cost = 16 * 4096 * k.bus.nsPerByte[1 * 2 + 0];
    expect(k.cpus[2].clock - before).toBeCloseTo(cost, 6);
    expect(t.utimeNs - ut).toBeCloseTo(cost, 6);
    expect(k.bus.busyNs[2]).toBeCloseTo(cost, 6);
    expect(t.remoteTouches).toBe(16);
    expect(t.remoteBytes).toBe(16 * 4096);
    k.memory.userTouch(k, t, a, 1, 0, 64, false, TOUCH_LATENCY, Infinity);
    expect(k.cpus[2].clock - before).toBeCloseTo(cost + k.bus.latencyNs[2], 6);
  });

  it("stops when the budget is spent", () => {
    const k = boot();
    const t = k.newTask(0);
    const a = mmapIn(k, t, MiB);
    touch(k, t, a, 256);
    const per = 4096 * k.bus.nsPerByte[0];
    expect(k.memory.userTouch(k, t, a, 256, PAGE_SIZE, 4096, false, TOUCH_STREAM, per * 10.5)).toBe(11);
  });

  it("marks ptes accessed and dirty as the hardware does", () => {
    const k = boot();
    const t = k.newTask(0);
    const a = mmapIn(k, t, MiB);
    touch(k, t, a, 1, false);
    const pt = t.mm!.pgtable;
    const e = pt.pteFlags[pt.pmdVal[0] * 512];
    expect(e & 0x20).toBe(0x20);
  });
});

describe("bad accesses", () => {
  it("SIGSEGV (-EFAULT) without a vma, on PROT_NONE, and writing read-only memory", () => {
    const k = boot();
    const t = k.newTask(0);
    const ro = mmapIn(k, t, MiB, PROT_READ);
    const none = mmapIn(k, t, MiB, PROT_NONE);
    expect(touch(k, t, USER_BASE - PAGE_SIZE, 1)).toBe(-EFAULT);
    expect(touch(k, t, ro + 4 * MiB, 1)).toBe(-EFAULT);
    expect(touch(k, t, none, 1, false)).toBe(-EFAULT);
    expect(touch(k, t, ro, 1, false)).toBe(1);
    expect(touch(k, t, ro, 1, true)).toBe(-EFAULT);
    expect(k.vm.events[PGFAULT]).toBe(1);
  });
});

describe("mmap", () => {
  it("rejects bad arguments with 3.7's errnos", () => {
    const k = boot();
    const t = k.newTask(0);
    expect(mmapIn(k, t, 0)).toBe(-EINVAL);
    expect(mmapIn(k, t, PAGE_SIZE, RW, ANON | MAP_FIXED, USER_BASE + 100)).toBe(-EINVAL);
    expect(mmapIn(k, t, PAGE_SIZE, RW, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS)).toBe(-EINVAL);
    expect(mmapIn(k, t, PAGE_SIZE, RW, MAP_ANONYMOUS)).toBe(-EINVAL);
    expect(mmapIn(k, t, PAGE_SIZE, RW, MAP_PRIVATE)).toBe(-EBADF);
    expect(mmapIn(k, t, 2 ** 48)).toBe(-ENOMEM);
    expect(mmapIn(k, t, PAGE_SIZE, RW, ANON | MAP_FIXED, USER_BASE - 2 * PAGE_SIZE)).toBe(-ENOMEM);
  });

  it("hands out addresses bottom-up, 2 MiB-aligned for large lengths, merging neighbours", () => {
    const k = boot();
    const t = k.newTask(0);
    const a = mmapIn(k, t, PAGE_SIZE);
    const b = mmapIn(k, t, PAGE_SIZE);
    expect(a).toBe(USER_BASE);
    expect(b).toBe(USER_BASE + PAGE_SIZE);
    expect(t.mm!.vmas.length).toBe(1);
    const c = mmapIn(k, t, 4 * MiB);
    expect((c - USER_BASE) % PMD_SIZE).toBe(0);
    expect(c).toBe(USER_BASE + PMD_SIZE);
    // MAP_FIXED over the middle replaces it.
    touch(k, t, c, 1024);
    expect(mmapIn(k, t, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, c + MiB)).toBe(c + MiB);
    expect(t.mm!.vmas.map((v) => [v.start - USER_BASE, v.end - USER_BASE])).toEqual([
      [0, 2 * PAGE_SIZE],
      [PMD_SIZE, PMD_SIZE + MiB],
      [PMD_SIZE + MiB, PMD_SIZE + MiB + PAGE_SIZE],
      [PMD_SIZE + MiB + PAGE_SIZE, PMD_SIZE + 4 * MiB],
    ]);
    expect(t.mm!.anonRss).toBe(1023);
  });
});

describe("munmap", () => {
  it("splits vmas and returns every page, pte pages included", () => {
    const k = boot();
    const t = k.newTask(0);
    const start = free(k);
    const a = mmapIn(k, t, 4 * MiB);
    touch(k, t, a, 1024);
    expect(free(k)).toBe(start - 1024 - 2);
    expect(k.vm.nodeStat[0][NR_PAGETABLE]).toBe(2);
    expect(k.memory.munmap(k, t.mm!, a + MiB, MiB)).toBe(0);
    expect(t.mm!.vmas.length).toBe(2);
    expect(t.mm!.anonRss).toBe(768);
    expect(touch(k, t, a + MiB, 1)).toBe(-EFAULT);
    expect(k.memory.munmap(k, t.mm!, a, 4 * MiB)).toBe(0);
    expect(t.mm!.vmas.length).toBe(0);
    expect(free(k)).toBe(start);
    expect(k.vm.nodeStat[0][NR_FREE_PAGES]).toBe(k.pageAlloc.nodeFreePages(0));
    expect(k.vm.nodeStat[0][NR_PAGETABLE]).toBe(0);
    expect(k.vm.nodeStat[0][NR_ANON_PAGES]).toBe(0);
    expect(k.memory.munmap(k, t.mm!, a + 1, PAGE_SIZE)).toBe(-EINVAL);
    expect(k.memory.munmap(k, t.mm!, a, 0)).toBe(-EINVAL);
    expect(k.memory.munmap(k, t.mm!, a, PAGE_SIZE)).toBe(0);
  });

  it("exit_mmap gives everything back", () => {
    const k = boot();
    const t = k.newTask(0);
    const start = free(k);
    touch(k, t, mmapIn(k, t, 3 * MiB), 700);
    k.memory.exitMmap(k, t.mm!);
    expect(free(k)).toBe(start);
  });
});

describe("madvise", () => {
  it("MADV_HUGEPAGE splits the vma at the range edges and refuses a repeat (3.7)", () => {
    const k = boot();
    const t = k.newTask(0);
    const a = mmapIn(k, t, 8 * MiB);
    expect(k.memory.madvise(k, t.mm!, a + 2 * MiB, 2 * MiB, MADV_HUGEPAGE)).toBe(0);
    const v = t.mm!.vmas;
    expect(v.length).toBe(3);
    expect(v[1].flags & VM_HUGEPAGE).toBe(VM_HUGEPAGE);
    expect([v[1].start - a, v[1].end - a]).toEqual([2 * MiB, 4 * MiB]);
    expect(k.memory.madvise(k, t.mm!, a + 2 * MiB, PAGE_SIZE, MADV_HUGEPAGE)).toBe(-EINVAL);
    // Undoing it lets the pieces merge back into one vma.
    expect(k.memory.madvise(k, t.mm!, a, 8 * MiB, MADV_NOHUGEPAGE)).toBe(0);
    expect(t.mm!.vmas.length).toBe(1);
  });

  it("checks its arguments and reports holes with -ENOMEM", () => {
    const k = boot();
    const t = k.newTask(0);
    const a = mmapIn(k, t, MiB);
    expect(k.memory.madvise(k, t.mm!, a, MiB, 99)).toBe(-EINVAL);
    expect(k.memory.madvise(k, t.mm!, a + 1, MiB, MADV_DONTNEED)).toBe(-EINVAL);
    expect(k.memory.madvise(k, t.mm!, a, 0, MADV_DONTNEED)).toBe(0);
    expect(k.memory.madvise(k, t.mm!, a, 2 * MiB, MADV_DONTNEED)).toBe(-ENOMEM);
    expect(k.memory.madvise(k, t.mm!, a + 8 * MiB, MiB, MADV_DONTNEED)).toBe(-ENOMEM);
  });

  it("MADV_DONTNEED frees the pages; the next touch faults a new one in", () => {
    const k = boot();
    const t = k.newTask(0);
    const a = mmapIn(k, t, MiB);
    touch(k, t, a, 256);
    const f = free(k);
    expect(k.memory.madvise(k, t.mm!, a, MiB, MADV_DONTNEED)).toBe(0);
    expect(free(k)).toBe(f + 256);
    expect(touch(k, t, a, 1)).toBe(1);
    expect(k.vm.events[PGFAULT]).toBe(257);
  });
});

describe("fork", () => {
  it("shares pages copy-on-write; a write copies, the last mapper reuses", () => {
    const k = boot();
    const p = k.newTask(0);
    const a = mmapIn(k, p, MiB);
    touch(k, p, a, 4);
    const pfn0 = k.memory.followPage(k, p.mm!.vmas[0], a, 0);
    const c = k.forkTask(p, 1);
    expect(pageMapcount(k.pages, pfn0)).toBe(2);
    expect(c.mm!.anonRss).toBe(4);
    // Both sides are write-protected now.
    expect(k.memory.followPage(k, p.mm!.vmas[0], a, FOLL_WRITE)).toBe(-2);
    k.runAs(c);
    expect(touch(k, c, a, 1)).toBe(1);
    const childPfn = k.memory.followPage(k, c.mm!.vmas[0], a, 0);
    expect(childPfn).not.toBe(pfn0);
    expect(pageMapcount(k.pages, pfn0)).toBe(1);
    expect(pageMapcount(k.pages, childPfn)).toBe(1);
    expect(k.memory.stats.wpCopies).toBe(1);
    k.runAs(p);
    expect(touch(k, p, a, 1)).toBe(1);
    expect(k.memory.followPage(k, p.mm!.vmas[0], a, 0)).toBe(pfn0);
    expect(k.memory.stats.wpReuses).toBe(1);
    // Reads stay shared.
    k.runAs(c);
    expect(touch(k, c, a + PAGE_SIZE, 3, false)).toBe(3);
    expect(k.memory.stats.wpCopies).toBe(1);
    const f = free(k);
    k.memory.exitMmap(k, c.mm!);
    expect(free(k)).toBe(f + 1 + 1); // the child's copy and its pte page
  });

  it("get_user_pages faults in and breaks COW for a write", () => {
    const k = boot();
    const p = k.newTask(0);
    const a = mmapIn(k, p, MiB);
    const pfn = k.memory.getUserPage(k, p.mm!, a, FOLL_WRITE | FOLL_GET);
    expect(pfn).toBeGreaterThanOrEqual(0);
    expect(k.pages.refcount[pfn]).toBe(2);
    expect(k.memory.getUserPage(k, p.mm!, a + 4 * MiB, 0)).toBe(-EFAULT);
  });
});

describe("step 01 gate (pteAllocOnlyIfPmdNone)", () => {
  const run = (gate: boolean) => {
    const k = boot({ pteAllocOnlyIfPmdNone: gate });
    const t = k.newTask(0);
    touch(k, t, mmapIn(k, t, 2 * MiB), 512);
    return { stats: k.memory.stats, nrPtes: t.mm!.pgtable.nrPtes, sys: t.stimeNs };
  };
  it("3.7-rc6 allocates and frees a pte page on every fault; step 01 only when the pmd is none", () => {
    const before = run(false);
    const after = run(true);
    expect(before.stats.ptePageAllocs).toBe(512);
    expect(before.stats.ptePagesUnused).toBe(511);
    expect(after.stats.ptePageAllocs).toBe(1);
    expect(after.stats.ptePagesUnused).toBe(0);
    expect(before.nrPtes).toBe(after.nrPtes);
    expect(before.sys).toBeGreaterThan(after.sys);
  });
});

describe("ptep_set_access_flags flush on do_wp_page reuse", () => {
  const run = (how: Features["x86PtepSetAccessFlagsFlush"]) => {
    const k = boot({ x86PtepSetAccessFlagsFlush: how });
    const p = k.newTask(0);
    const a = mmapIn(k, p, MiB);
    touch(k, p, a, 1);
    const c = k.forkTask(p, 1);
    k.runAs(c);
    touch(k, c, a, 1); // child copies
    k.place(c, 1); // the child keeps running on CPU 1 ...
    const thread = { ...p, pid: 99 }; // ... and a thread of the parent runs on CPU 3
    k.place(thread, 3);
    k.runAs(p);
    const ipis = k.tlb.stats.remoteIpis;
    touch(k, p, a, 1); // the parent reuses its page: only CPU 3 shares its mm
    return k.tlb.stats.remoteIpis - ipis;
  };
  it("sends an IPI to the other CPU of the mm at baseline, none after step 02", () => {
    expect(run("flush_tlb_page")).toBe(1);
    expect(run("local")).toBe(0);
  });
});
