import { describe, it, expect } from "vitest";
import {
  CAP_SYS_NICE,
  EACCES,
  EBUSY,
  EAGAIN,
  EFAULT,
  EINVAL,
  ENODEV,
  ENOENT,
  ENOMEM,
  EPERM,
  ESRCH,
  GFP_HIGHUSER_MOVABLE,
  GFP_THISNODE,
  HPAGE_PMD_NR,
  HPAGE_SIZE,
  MIGRATE_ASYNC,
  MIGRATE_SYNC,
  MPOL_MF_MOVE,
  MPOL_MF_MOVE_ALL,
  PAGE_SIZE,
  PG_lru,
  type Features,
  type Task,
  pageMapcount,
  MR_NUMA_MISPLACED,
  MR_SYSCALL,
  nodeRemap,
  pageToNid,
} from "@balancenuma/include-linux";
import { pteWrite } from "@balancenuma/arch-x86-pgtable";
import { NR_FREE_PAGES, NR_ISOLATED_ANON, PGMIGRATE_FAIL, PGMIGRATE_SUCCESS, THP_SPLIT } from "@balancenuma/vmstat";
import { testbed, type Testbed } from "./testbed.js";
import { MOVE_PAGES_CHUNK, migrateReasonString, mmMigratePagesText } from "@balancenuma/mm-migrate";
import { getNodes } from "@balancenuma/mm-mempolicy";

const freeOn = (k: Testbed, nid: number) => k.vm.nodeStat[nid][NR_FREE_PAGES];

/** A process on CPU 0 (node 0) with n touched 4K pages on node 0. */
function proc(n: number, features: Partial<Features> = {}) {
  const k = testbed({ thp: "never", features });
  const t = k.newTask(0);
  const addr = k.mmapAnon(t, n * PAGE_SIZE);
  k.touch(t, addr, n);
  const addrs = Array.from({ length: n }, (_, i) => addr + i * PAGE_SIZE);
  return { k, t, addr, addrs };
}

function movePages(k: Testbed, caller: Task, pid: number, pages: number[], nodes: number[] | null, flags = MPOL_MF_MOVE) {
  const status: number[] = new Array<number>(pages.length).fill(-999);
  k.runAs(caller);
  const r = k.migrate.sysMovePages(k, caller, pid, pages, nodes, status, flags);
  return { r, status };
}

/** get_nodes on a plain nodemask value (no user memory is read). */
const readNodes = (mask: bigint | null, maxnode: number) => getNodes({} as never, {} as never, mask, maxnode);

describe("move_pages(2)", () => {
  it("moves N pages to another node: their node changes, the mapping stays", () => {
    const { k, t, addrs } = proc(10);
    const oldPfns = addrs.map((a) => k.pfnAt(t.mm!, a));
    const free0 = freeOn(k, 0);
    const free1 = freeOn(k, 1);
    const clock = k.cpus[0].clock;
    const { r, status } = movePages(
      k,
      t,
      0,
      addrs,
      addrs.map(() => 1),
    );
    expect(r).toBe(0);
    expect(status).toEqual(addrs.map(() => 1));
    for (let i = 0; i < addrs.length; i++) {
      const pfn = k.pfnAt(t.mm!, addrs[i]);
      expect(pfn).not.toBe(oldPfns[i]);
      expect(pageToNid(k.pages, pfn)).toBe(1);
      expect(pageMapcount(k.pages, pfn)).toBe(1);
      expect(k.pages.flags[pfn] & PG_lru).toBeTruthy();
      expect(pteWrite(k.entryFlags(t.mm!, addrs[i]))).toBe(true);
      let found = 0;
      k.rmap.rmapWalk(k, pfn, (vma, a) => {
        expect(vma.mm).toBe(t.mm);
        expect(a).toBe(addrs[i]);
        found++;
      });
      expect(found).toBe(1);
    }
    expect(freeOn(k, 0)).toBe(free0 + 10);
    expect(freeOn(k, 1)).toBe(free1 - 10);
    expect(k.vm.nodeStat[0][NR_ISOLATED_ANON]).toBe(0);
    expect(t.mm!.anonRss).toBe(10);
    // The copies are charged to the calling CPU.
    expect(k.cpus[0].clock - clock).toBeGreaterThan(10 * k.bus.copyNs(0, 0, 1, PAGE_SIZE));
  });

  it("with nodes = NULL reports where each page is", () => {
    const { k, t, addr } = proc(4);
    const untouched = k.memory.mmap(k, t.mm!, 0, 8 * PAGE_SIZE, 3, 0x22); // mapped but never touched
    const far = t.mm!.vmas[t.mm!.vmas.length - 1].end + 64 * PAGE_SIZE;
    const { r, status } = movePages(k, t, 0, [addr, addr + 3 * PAGE_SIZE, untouched, far], null);
    expect(r).toBe(0);
    expect(status).toEqual([0, 0, -ENOENT, -EFAULT]);
    movePages(k, t, 0, [addr + 3 * PAGE_SIZE], [1]);
    expect(movePages(k, t, 0, [addr, addr + 3 * PAGE_SIZE], null).status).toEqual([0, 1]);
  });

  it("returns EINVAL, EPERM, ESRCH, ENODEV and EACCES for bad calls", () => {
    const { k, t, addrs } = proc(2);
    expect(movePages(k, t, 0, addrs, [1, 1], 0x8).r).toBe(-EINVAL);
    expect(movePages(k, t, 4242, addrs, [1, 1]).r).toBe(-ESRCH);
    expect(movePages(k, t, 0, addrs, [1, 7]).r).toBe(-ENODEV);
    expect(movePages(k, t, 0, addrs, [-1, 1]).r).toBe(-ENODEV);
    t.memsAllowed = 1n; // cpuset: node 0 only
    expect(movePages(k, t, 0, addrs, [1, 1]).r).toBe(-EACCES);
    t.memsAllowed = 3n;
    t.cred.capEffective = 0n; // an unprivileged caller
    expect(movePages(k, t, 0, addrs, [1, 1], MPOL_MF_MOVE_ALL).r).toBe(-EPERM);
    t.cred.capEffective = 1n << BigInt(CAP_SYS_NICE);
    expect(movePages(k, t, 0, addrs, [1, 1], MPOL_MF_MOVE_ALL).r).toBe(0);
    // Nothing moved by the failed calls.
    expect(movePages(k, t, 0, addrs, null).status).toEqual([1, 1]);
  });

  it("gives per-page -EFAULT, -ENOENT, -EACCES (shared without MOVE_ALL), -EBUSY and the current node", () => {
    const { k, t, addr } = proc(4);
    const untouched = k.memory.mmap(k, t.mm!, 0, 8 * PAGE_SIZE, 3, 0x22);
    const child = k.forkTask(t, 1); // pages 0..3 now shared
    const own = k.mmapAnon(t, PAGE_SIZE);
    k.touch(t, own, 1);
    const hole = t.mm!.vmas[t.mm!.vmas.length - 1].end + 16 * PAGE_SIZE;
    const pages = [hole, untouched, addr, own, own, addr + PAGE_SIZE];
    const { r, status } = movePages(k, t, 0, pages, [1, 1, 1, 1, 1, 0]);
    expect(r).toBe(0);
    expect(status).toEqual([-EFAULT, -ENOENT, -EACCES, 1, -EBUSY, 0]);
    // MOVE_ALL moves a shared page for both processes.
    const res = movePages(k, t, 0, [addr], [1], MPOL_MF_MOVE_ALL);
    expect(res.status).toEqual([1]);
    const pfn = k.pfnAt(t.mm!, addr);
    expect(k.pfnAt(child.mm!, addr)).toBe(pfn);
    expect(pageMapcount(k.pages, pfn)).toBe(2);
  });

  it("moves another process's pages by pid", () => {
    const { k, t, addrs } = proc(3);
    const other = k.newTask(2);
    const { r, status } = movePages(k, other, t.pid, addrs, [1, 1, 1]);
    expect(r).toBe(0);
    expect(status).toEqual([1, 1, 1]);
  });

  it("fails with ENOMEM when the target node has no free page", () => {
    const { k, t, addrs } = proc(3);
    while (k.pageAlloc.allocPages(k, GFP_HIGHUSER_MOVABLE | GFP_THISNODE, 0, 1, null) >= 0);
    const { r } = movePages(k, t, 0, addrs, [1, 1, 1]);
    expect(r).toBe(-ENOMEM);
    for (const a of addrs) expect(pageToNid(k.pages, k.pfnAt(t.mm!, a))).toBe(0);
    // Everything went back: no page left isolated.
    expect(k.vm.nodeStat[0][NR_ISOLATED_ANON]).toBe(0);
    for (const a of addrs) expect(k.pages.flags[k.pfnAt(t.mm!, a)] & PG_lru).toBeTruthy();
  });

  it("splits a THP and moves only the requested subpages", () => {
    const k = testbed({ thp: "always" });
    const t = k.newTask(0);
    const addr = k.mmapAnon(t, HPAGE_SIZE);
    k.touch(t, addr, 1);
    expect(k.isHuge(t.mm!, addr)).toBe(true);
    const head = k.pfnAt(t.mm!, addr);
    const pages = [addr + 2 * PAGE_SIZE, addr + 100 * PAGE_SIZE, addr + 511 * PAGE_SIZE];
    const { r, status } = movePages(k, t, 0, pages, [1, 1, 1]);
    expect(r).toBe(0);
    expect(status).toEqual([1, 1, 1]);
    expect(k.vm.events[THP_SPLIT]).toBe(1);
    expect(k.isHuge(t.mm!, addr)).toBe(false);
    expect(k.pfnAt(t.mm!, addr + 3 * PAGE_SIZE)).toBe(head + 3);
    for (const a of pages) expect(pageToNid(k.pages, k.pfnAt(t.mm!, a))).toBe(1);
    expect(t.mm!.anonRss).toBe(HPAGE_PMD_NR);
  });
});

describe("migrate_pages() core", () => {
  it("splits an isolated THP before migrating it (3.7 has no THP migration)", () => {
    const k = testbed({ thp: "always" });
    const t = k.newTask(0);
    const addr = k.mmapAnon(t, HPAGE_SIZE);
    k.touch(t, addr, 1);
    const head = k.pfnAt(t.mm!, addr);
    expect(k.migrate.isolateLruPage(k, head)).toBe(0);
    const list = [head];
    const r = k.migrate.migratePages(k, list, () => k.pageAlloc.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 1, null), MIGRATE_SYNC, MR_SYSCALL);
    expect(r).toEqual({ succeeded: 1, failed: 0, retry: 0, error: 0 });
    expect(list).toEqual([]);
    expect(k.vm.events[THP_SPLIT]).toBe(1);
    expect(pageToNid(k.pages, k.pfnAt(t.mm!, addr))).toBe(1);
    expect(k.pfnAt(t.mm!, addr + PAGE_SIZE)).toBe(head + 1);
  });

  it("keeps retrying a pinned page, then leaves it on the list as -EAGAIN (not a failure)", () => {
    const { k, t, addrs } = proc(3, { migrateStats: true, migrateTracepoint: true });
    const pinned = k.pfnAt(t.mm!, addrs[1]);
    k.pages.refcount[pinned]++; // a get_user_pages pin
    const { r, status } = movePages(k, t, 0, addrs, [1, 1, 1]);
    expect(r).toBe(0);
    expect(status).toEqual([1, -EAGAIN, 1]);
    expect(k.vm.events[PGMIGRATE_SUCCESS]).toBe(2);
    expect(k.vm.events[PGMIGRATE_FAIL]).toBe(0);
    expect(k.traceLines.map((l) => l.text)).toEqual(["nr_succeeded=2 nr_failed=0 mode=MIGRATE_SYNC reason=syscall_or_cpuset"]);
    // The pinned page is mapped and on the LRU again.
    expect(k.pfnAt(t.mm!, addrs[1])).toBe(pinned);
    expect(k.pages.flags[pinned] & PG_lru).toBeTruthy();
    expect(k.vm.nodeStat[0][NR_ISOLATED_ANON]).toBe(0);
  });

  it("counts pgmigrate_success only with the step 09 gate", () => {
    const base = proc(5);
    movePages(
      base.k,
      base.t,
      0,
      base.addrs,
      base.addrs.map(() => 1),
    );
    expect(base.k.vm.events[PGMIGRATE_SUCCESS]).toBe(0);
    const gated = proc(5, { migrateStats: true });
    movePages(
      gated.k,
      gated.t,
      0,
      gated.addrs,
      gated.addrs.map(() => 1),
    );
    expect(gated.k.vm.events[PGMIGRATE_SUCCESS]).toBe(5);
  });

  it("emits migrate:mm_migrate_pages once per migrate_pages call only with the step 10 gate", () => {
    const base = proc(3, { migrateStats: true });
    movePages(base.k, base.t, 0, base.addrs, [1, 1, 1]);
    expect(base.k.traceLines).toEqual([]);
    const n = MOVE_PAGES_CHUNK + 31;
    const gated = proc(n, { migrateTracepoint: true });
    movePages(
      gated.k,
      gated.t,
      0,
      gated.addrs,
      gated.addrs.map(() => 1),
    );
    expect(gated.k.traceLines).toEqual([
      { event: "migrate:mm_migrate_pages", text: `nr_succeeded=${MOVE_PAGES_CHUNK} nr_failed=0 mode=MIGRATE_SYNC reason=syscall_or_cpuset` },
      { event: "migrate:mm_migrate_pages", text: "nr_succeeded=31 nr_failed=0 mode=MIGRATE_SYNC reason=syscall_or_cpuset" },
    ]);
  });

  it("formats the trace line like the kernel's TP_printk", () => {
    expect(MOVE_PAGES_CHUNK).toBe(169);
    expect(mmMigratePagesText(1, 0, MIGRATE_ASYNC, MR_NUMA_MISPLACED)).toBe("nr_succeeded=1 nr_failed=0 mode=MIGRATE_ASYNC reason=0x5");
    expect(migrateReasonString(4)).toBe("mempolicy_mbind");
    expect(migrateReasonString(0)).toBe("compaction");
  });

  it("aborts the whole call with -ENOMEM when a target page cannot be had", () => {
    const { k, t, addrs } = proc(4, { migrateStats: true, migrateTracepoint: true });
    const list = addrs.map((a) => k.pfnAt(t.mm!, a));
    for (const pfn of list) expect(k.migrate.isolateLruPage(k, pfn)).toBe(0);
    let budget = 2;
    const r = k.migrate.migratePages(
      k,
      list,
      () => (budget-- > 0 ? k.pageAlloc.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 1, null) : -1),
      MIGRATE_SYNC,
      MR_SYSCALL,
    );
    expect(r.error).toBe(-ENOMEM);
    expect(r.succeeded).toBe(2);
    expect(list).toHaveLength(2);
    expect(k.vm.events[PGMIGRATE_SUCCESS]).toBe(2);
    expect(k.traceLines).toHaveLength(1);
    for (const pfn of list) k.migrate.putbackLruPage(k, pfn);
    expect(k.migrate.isolateLruPage(k, list[0])).toBe(0);
    expect(k.migrate.isolateLruPage(k, list[0])).toBe(-EBUSY);
  });
});

describe("migrate_pages(2)", () => {
  it("moves every page of the target from the old nodes to the new ones and returns what stayed", () => {
    const { k, t, addrs } = proc(20);
    const child = k.forkTask(t, 1); // shared pages move too: the caller is root (MOVE_ALL)
    const other = k.newTask(3);
    k.runAs(other);
    expect(k.mempolicy.sysMigratePages(k, other, t.pid, 3, 1n, 2n)).toBe(0);
    for (const a of addrs) {
      const pfn = k.pfnAt(t.mm!, a);
      expect(pageToNid(k.pages, pfn)).toBe(1);
      expect(k.pfnAt(child.mm!, a)).toBe(pfn);
    }
    // Moving back with a pinned page: one page stays.
    const pinned = k.pfnAt(t.mm!, addrs[7]);
    k.pages.refcount[pinned]++;
    expect(k.mempolicy.sysMigratePages(k, other, t.pid, 3, 2n, 1n)).toBe(1);
    expect(pageToNid(k.pages, k.pfnAt(t.mm!, addrs[0]))).toBe(0);
    expect(pageToNid(k.pages, k.pfnAt(t.mm!, addrs[7]))).toBe(1);
  });

  it("without CAP_SYS_NICE moves only unshared pages, and not outside the target's cpuset", () => {
    const { k, t, addrs } = proc(4);
    k.forkTask(t, 1);
    const own = k.mmapAnon(t, PAGE_SIZE);
    k.touch(t, own, 1);
    t.cred.capEffective = 0n;
    k.runAs(t);
    expect(k.mempolicy.sysMigratePages(k, t, 0, 3, 1n, 2n)).toBe(0);
    expect(pageToNid(k.pages, k.pfnAt(t.mm!, addrs[0]))).toBe(0);
    expect(pageToNid(k.pages, k.pfnAt(t.mm!, own))).toBe(1);
    t.memsAllowed = 1n;
    expect(k.mempolicy.sysMigratePages(k, t, 0, 3, 2n, 1n)).toBe(0);
    expect(k.mempolicy.sysMigratePages(k, t, 0, 3, 1n, 2n)).toBe(-EPERM);
  });

  it("checks maxnode, the nodes and the pid", () => {
    const { k, t } = proc(1);
    k.runAs(t);
    expect(k.mempolicy.sysMigratePages(k, t, 0, 0, 1n, 2n)).toBe(-EINVAL);
    expect(k.mempolicy.sysMigratePages(k, t, 0, 64 * 4096 + 2, 1n, 2n)).toBe(-EINVAL);
    expect(k.mempolicy.sysMigratePages(k, t, 0, 9, 1n, 1n << 5n)).toBe(-EINVAL); // node 5 has no memory
    expect(k.mempolicy.sysMigratePages(k, t, 9999, 3, 1n, 2n)).toBe(-ESRCH);
    // Bits at or above maxnode - 1 are ignored.
    expect(k.mempolicy.sysMigratePages(k, t, 0, 2, 1n, 1n << 5n)).toBe(0);
    expect(pageToNid(k.pages, k.pfnAt(t.mm!, t.mm!.vmas[0].start))).toBe(0);
  });

  it("get_nodes and node_remap follow the kernel", () => {
    expect(readNodes(null, 0)).toBe(0n);
    expect(readNodes(5n, 0)).toBe(-EINVAL);
    expect(readNodes(5n, 1)).toBe(0n);
    expect(readNodes(7n, 3)).toBe(3n);
    expect(readNodes(1n << 1500n, 2000)).toBe(-EINVAL);
    expect(readNodes(1n << 1500n, 1400)).toBe(0n);
    expect(nodeRemap(2, 0b0110n, 0b1001n)).toBe(3);
    expect(nodeRemap(1, 0b0110n, 0b1001n)).toBe(0);
    expect(nodeRemap(5, 0b0110n, 0b1001n)).toBe(5);
  });
});
