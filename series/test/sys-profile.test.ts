/**
 * The system-time profile (include-linux sys-profile.ts): every ns of system time the kernel charges
 * counts for exactly one kernel path, so the paths add up to the tasks' system time, and each path
 * gets the work it names.
 */
import { describe, expect, it } from "vitest";
import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  SYS_FAULTS,
  SYS_HINTING_FAULTS,
  SYS_LOCK_ANON_VMA,
  SYS_LOCK_PAGE_TABLE,
  SYS_PAGE_ALLOC,
  SYS_PAGE_CLEAR,
  SYS_PATHS,
  SYS_PATH_COUNT,
  SYS_SYSCALLS,
  TOUCH_LATENCY,
} from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { Script, act, call, sweep } from "@balancenuma/userspace";
import { bootAtStep } from "../boot.js";

const systemNs = (k: KernelInstance) => [...k.tasks.values()].reduce((a, t) => a + t.stimeNs, 0);
const profileNs = (k: KernelInstance) => k.sysNs.reduce((a, b) => a + b, 0);
/**
 * numa02 in small: one process whose `threads` threads, one per CPU, sweep the same `mib` MiB buffer
 * (first touched by the first thread on node 0): shared pages, hinting faults from both nodes,
 * migrations, TLB-shootdown IPIs to the other threads and anon_vma lock waits.
 */
function startSharedSweepers(k: KernelInstance, threads: number, mib: number): void {
  const len = mib << 20;
  let buf = 0;
  const sweeper = () => new Script([sweep(() => buf, len)]);
  const program = new Script([
    call("mmap", (u) => (buf = u.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS))),
    sweep(() => buf, len, { loops: 1 }),
    act((u) => {
      for (let i = 1; i < threads; i++) u.schedSetaffinity(u.cloneThread(sweeper(), `sweeper${i}`), 1n << BigInt(i));
    }),
    sweep(() => buf, len),
  ]);
  k.createProcess({ comm: "shared", program, cpusAllowed: 1n });
}

const byName = (k: KernelInstance) => Object.fromEntries(SYS_PATHS.map((p, i) => [p.name, k.sysNs[i]]));

describe("the system-time profile", () => {
  it("names each path once, its constant being its index", () => {
    expect(SYS_PATH_COUNT).toBe(16);
    expect(new Set(SYS_PATHS.map((p) => p.name)).size).toBe(SYS_PATH_COUNT);
    expect(SYS_PATHS[SYS_HINTING_FAULTS].name).toBe("hinting_faults");
    expect(SYS_PATHS[SYS_LOCK_ANON_VMA].name).toBe("lock_anon_vma");
    expect(SYS_PATHS[SYS_SYSCALLS].name).toBe("syscalls");
  });

  it("adds up to the system time in a run with hinting faults, migrations, IPIs and lock waits (numa02 threads at step 47)", () => {
    const k = bootAtStep({ step: 47, topology: "nodes=2,cpus=2,mem=256M", thp: "never", seed: 1 });
    startSharedSweepers(k, 4, 48);
    k.runFor(2.5e9);
    const sys = systemNs(k);
    expect(sys).toBeGreaterThan(0);
    expect(Math.abs(profileNs(k) - sys)).toBeLessThan(sys * 1e-9);
    const p = byName(k);
    for (const name of [
      "hinting_faults",
      "scanner",
      "migration",
      "migration_copy",
      "tlb_ipi",
      "tlb_flush",
      "lock_anon_vma",
      "page_alloc",
      "page_clear",
      "faults",
      "sched",
    ])
      expect(p[name], name).toBeGreaterThan(0);
    for (const v of k.sysNs) expect(v).toBeGreaterThanOrEqual(0);
  });

  it("puts a first touch in faults, page_clear and page_alloc, and a NUMA hinting fault (its entry too) in hinting_faults", () => {
    const k = bootAtStep({ step: 49, topology: "nodes=2,cpus=1,mem=64M", thp: "never" });
    const t = k.createProcess({ comm: "toucher", cpusAllowed: 1n });
    const u = k.userApi(t);
    const a = u.mmap(0, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    expect(k.sysNs[SYS_SYSCALLS]).toBeGreaterThanOrEqual(k.cost.syscallNs); // entry and exit, and the work under mmap_sem
    const before = k.sysNs.slice();
    u.touch(a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    const d1 = k.sysNs.map((v, i) => v - before[i]);
    expect(d1[SYS_FAULTS]).toBeGreaterThanOrEqual(k.cost.faultEntryNs);
    expect(d1[SYS_PAGE_CLEAR]).toBeGreaterThan(0);
    expect(d1[SYS_PAGE_ALLOC]).toBeGreaterThanOrEqual(k.cost.pageAllocNs);
    expect(d1[SYS_HINTING_FAULTS]).toBe(0);

    k.mempolicy.changeProtNuma(k, k.memory.findVma(t.mm!, a)!, a, a + PAGE_SIZE);
    const mid = k.sysNs.slice();
    u.touch(a, 1, PAGE_SIZE, 8, false, TOUCH_LATENCY);
    const d2 = k.sysNs.map((v, i) => v - mid[i]);
    expect(d2[SYS_HINTING_FAULTS]).toBeGreaterThanOrEqual(k.cost.faultEntryNs);
    expect(d2[SYS_FAULTS]).toBe(0);
    expect(Math.abs(profileNs(k) - systemNs(k))).toBeLessThan(1e-6);
  });

  it("puts a wait for a lock in that lock's path and the hold in the path the CPU is in", () => {
    const k = bootAtStep({ step: 49, topology: "nodes=2,cpus=1,mem=64M" });
    const t = k.createProcess({ comm: "locker", cpusAllowed: 1n });
    k.userApi(t);
    const mm = t.mm!;
    // Another CPU holds the page_table_lock for the next 5 us: a spinner's wait is system time.
    mm.pageTableLock.acquire(k.now(), 5000, false);
    k.sysPath = SYS_FAULTS;
    const before = k.sysNs.slice();
    k.lock(mm.pageTableLock, 10);
    expect(k.sysNs[SYS_LOCK_PAGE_TABLE] - before[SYS_LOCK_PAGE_TABLE]).toBe(5000);
    expect(k.sysNs[SYS_FAULTS] - before[SYS_FAULTS]).toBe(10 + k.cost.lockNs);
    // An rwsem waiter (anon_vma from step 48) sleeps: only its context switch is system time.
    const av = k.newAnonVma();
    av.lock.acquire(k.now(), 5000, false);
    k.lock(av.lock, 10);
    expect(k.sysNs[SYS_LOCK_ANON_VMA]).toBe(k.cost.lockSleepNs);
    expect(Math.abs(profileNs(k) - systemNs(k))).toBeLessThan(1e-6);
  });
});
