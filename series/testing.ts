/** Shared fixtures of the step delta tests. */
import { expect } from "vitest";
import {
  HPAGE_SIZE,
  type Features,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_MF_MOVE,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  type Task,
} from "@balancenuma/include-linux";
import { type KernelInstance } from "@balancenuma/kernel";
import { bootAtStep, type Linux } from "./boot.js";
import { Script, call, sweep } from "@balancenuma/userspace";

/**
 * A remote buffer end to end: one thread first touches a `mib` MiB buffer on node 0 (CPU 0), then
 * moves to node 1 (CPU 1) and sweeps it until `seconds` have passed, so the scanner's hints decide
 * whether, when and how the buffer moves. Transparent huge pages by default (`thp: "never"` for
 * 4 KiB pages). `setup` runs after boot.
 */
export function remoteSweep(
  step: number,
  opts: {
    mib: number;
    seconds: number;
    mem?: string;
    thp?: "always" | "never";
    features?: Partial<Features>;
    sysctl?: Record<string, number>;
    setup?: (k: KernelInstance) => void;
    onTick?: (k: KernelInstance) => void;
  },
): Linux {
  const k = bootAtStep({ step, topology: `nodes=2,cpus=1,mem=${opts.mem ?? "256M"}`, thp: opts.thp ?? "always", features: opts.features, sysctl: opts.sysctl });
  opts.setup?.(k);
  const len = opts.mib << 20;
  let buf = 0;
  const program = new Script([
    call("mmap", (u) => {
      const raw = u.mmap(0, len + HPAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
      buf = Math.ceil(raw / HPAGE_SIZE) * HPAGE_SIZE;
      return raw;
    }),
    sweep(() => buf, len, { loops: 1 }),
    call("sched_setaffinity", (u) => u.schedSetaffinity(0, 2n)),
    sweep(() => buf, len),
  ]);
  k.createProcess({ comm: "remote-sweep", program, cpusAllowed: 1n });
  k.runFor(opts.seconds * 1e9, opts.onTick);
  return k;
}

/** The small machine the delta tests run on. */
export const TOPO = "nodes=2,cpus=2,mem=128M";

/** Two processes, one per node: sweep 4 MiB, mprotect it read-only and back, sweep again. */
export function startMixed(k: KernelInstance): void {
  for (const cpus of [1n, 2n]) {
    let buf = 0;
    const len = 4 << 20;
    const program = new Script([
      call("mmap", (u) => (buf = u.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS))),
      sweep(() => buf, len, { loops: 2 }),
      call("mprotect", (u) => u.mprotect(buf, len, PROT_READ)),
      call("mprotect", (u) => u.mprotect(buf, len, PROT_READ | PROT_WRITE)),
      sweep(() => buf, len, { loops: 3 }),
    ]);
    k.createProcess({ comm: "mixed", program, cpusAllowed: cpus });
  }
}

/**
 * Everything a run of the mixed workload can show at `step`: counters, TLB and fault statistics and
 * the CPUs' clocks. Two steps with equal fingerprints behave identically on it.
 */
export function fingerprint(step: number) {
  const k = bootAtStep({ step, topology: TOPO, debug: true });
  startMixed(k);
  k.runFor(40e6);
  return { events: Array.from(k.vm.events), tlb: { ...k.tlb.stats }, mem: { ...k.memory.stats }, clocks: k.cpus.map((c) => c.clock) };
}

export const THREADS = 4;

/**
 * A process with THREADS threads, thread i pinned to CPU i, sharing one anonymous region (so one
 * anon_vma) of which thread i owns slice i, all first touched on node 0. Then, with every CPU's
 * clock at the same instant, each thread calls move_pages(2) on its own slice: to node 1 (a
 * migration), or to node 0 (with THPs: only the FOLL_SPLIT split, as the pages stay put).
 * Returns the anon_vma lock's wait and each thread's elapsed and system time for the calls.
 */
export function concurrentMovePages(step: number, opts: { thp: boolean; pagesPerThread: number; toNode: number }) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=64M", thp: opts.thp ? "always" : "never" });
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
  threads.forEach((t, i) => {
    expect(t.cpu).toBe(i);
  });
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
    expect(
      tu.movePages(
        0,
        pages,
        pages.map(() => opts.toNode),
        status,
        MPOL_MF_MOVE,
      ),
    ).toBe(0);
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
