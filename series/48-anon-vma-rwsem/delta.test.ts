/**
 * Step 48 "mm/rmap: Convert the struct anon_vma::mutex to an rwsem": the anon_vma lock becomes an
 * rw_semaphore, still always taken for write (the read side comes with step 49). Two rmap walks
 * of pages under one anon_vma still exclude each other; what changes is how a waiter waits: the
 * mutex spun while its owner ran (system time), the rwsem waiter sleeps (elapsed time and a
 * context switch, not spinning).
 */
import { describe, it, expect } from "vitest";
import {
  HPAGE_SIZE,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_MF_MOVE,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  type Task,
} from "@balancenuma/include-linux";
import { bootKernel } from "@balancenuma/kernel";

const THREADS = 4;

/**
 * A process with THREADS threads, thread i pinned to CPU i, sharing one anonymous region (so one
 * anon_vma) of which thread i owns slice i, all first touched on node 0. Then, with every CPU's
 * clock at the same instant, each thread calls move_pages(2) on its own slice: to node 1 (a
 * migration), or to node 0 (with THPs: only the FOLL_SPLIT split, as the pages stay put).
 * Returns the anon_vma lock's wait and each thread's elapsed and system time for the calls.
 */
function concurrentMovePages(step: number, opts: { thp: boolean; pagesPerThread: number; toNode: number }) {
  const k = bootKernel({ step, topology: "nodes=2,cpus=2,mem=64M", thp: opts.thp ? "always" : "never" });
  const main = k.createProcess({ comm: "mover", cpusAllowed: 1n });
  const u = k.userApi(main);
  const slice = opts.thp ? HPAGE_SIZE : opts.pagesPerThread * PAGE_SIZE;
  const raw = u.mmap(0, THREADS * slice + HPAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const base = Math.ceil(raw / HPAGE_SIZE) * HPAGE_SIZE;
  expect(u.touch(base, (THREADS * slice) / PAGE_SIZE, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe((THREADS * slice) / PAGE_SIZE);
  const threads: Task[] = [main];
  for (let i = 1; i < THREADS; i++) {
    const tid = u.cloneThread({ run: (tu) => tu.sleep(1e12) }, `mover${i}`);
    const t = k.tasks.get(tid)!;
    expect(k.sched.setCpusAllowed(k, t, 1n << BigInt(i))).toBe(0);
    threads.push(t);
  }
  threads.forEach((t, i) => expect(t.cpu).toBe(i));
  const root = main.mm!.vmas.find((v) => v.anonVma !== null)!.anonVma!.root;
  const t0 = Math.max(...k.cpus.map((c) => c.clock));
  for (const c of k.cpus) c.clock = t0;
  const wait0 = root.lock.stats.waitNs;
  const contended0 = root.lock.stats.contended;
  const out = threads.map((t, i) => {
    const stime = t.stimeNs;
    const tu = k.userApi(t);
    const pages = Array.from({ length: opts.pagesPerThread }, (_, j) => base + i * slice + j * PAGE_SIZE);
    const status: number[] = [];
    expect(tu.movePages(0, pages, pages.map(() => opts.toNode), status, MPOL_MF_MOVE)).toBe(0);
    expect(status).toEqual(pages.map(() => opts.toNode));
    return { elapsed: k.cpus[i].clock - t0, stime: t.stimeNs - stime };
  });
  k.checkInvariants();
  return {
    k,
    kind: root.lock.kind,
    waitNs: root.lock.stats.waitNs - wait0,
    contended: root.lock.stats.contended - contended0,
    threads: out,
    makespan: Math.max(...out.map((o) => o.elapsed)),
    stime: out.reduce((a, o) => a + o.stime, 0),
  };
}

describe("step 48: the anon_vma lock is an rwsem, still exclusive", () => {
  it("concurrent migrations under one anon_vma still wait for each other, now sleeping instead of spinning", () => {
    const before = concurrentMovePages(47, { thp: false, pagesPerThread: 32, toNode: 1 });
    const after = concurrentMovePages(48, { thp: false, pagesPerThread: 32, toNode: 1 });
    expect(before.kind).toBe("mutex");
    expect(after.kind).toBe("rwsem");
    // Still exclusive: the walkers of different CPUs collide in both kernels.
    expect(before.contended).toBeGreaterThan(0);
    expect(after.contended).toBeGreaterThan(0);
    expect(after.waitNs).toBeGreaterThan(0);
    // A mutex waiter spins: all its elapsed time is system time. An rwsem waiter sleeps.
    for (const t of before.threads) expect(t.elapsed).toBeCloseTo(t.stime, 3);
    const slept = after.threads.map((t) => t.elapsed - t.stime);
    expect(Math.max(...slept)).toBeGreaterThan(1);
    // The first thread never waited and did the same work.
    expect(after.threads[0]).toEqual(before.threads[0]);
  });
});
