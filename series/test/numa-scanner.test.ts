/** The scheduler side of NUMA balancing on a testbed kernel: exact scan ranges and timing per step. */
import { describe, it, expect } from "vitest";
import {
  HPAGE_SIZE,
  NUMA_PTE_SCAN_ACTIVE,
  NUMA_PTE_SCAN_INIT,
  PAGE_SIZE,
  USER_BASE,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_PRIVATE,
  PROT_READ,
  PROT_WRITE,
  VM_IO,
  VM_READ,
  VM_WRITE,
  msecsToJiffies,
  type Features,
  type Vma,
} from "@balancenuma/include-linux";
import { featuresAtStep } from "../features.js";
import { createMempolicyOps } from "@balancenuma/mm-mempolicy";
import { createMigrateOps } from "@balancenuma/mm-migrate";
import { SchedFeatures, taskNumaFault, taskNumaWork, taskTickNuma } from "@balancenuma/sched-fair";
import { testbed } from "./testbed.js";

const MB = 1 << 20;
const MS = 1_000_000;

interface Call {
  start: number;
  end: number;
}

/**
 * A two-node kernel with one process whose mempolicy subsystem's change_prot_numa "updates" one
 * entry per populated page in the range it is asked to mark (and records the range), and whose
 * migrate_ratelimited answers as the test says.
 */
function fake(
  step: number,
  opts: { features?: Partial<Features>; sysctl?: Record<string, number>; populated?: (addr: number) => boolean; ratelimited?: boolean } = {},
) {
  const calls: Call[] = [];
  const populated = opts.populated ?? (() => true);
  const k = testbed({
    step,
    features: opts.features,
    sysctl: opts.sysctl,
    cpusPerNode: 1,
    subsystems: {
      mempolicy: () => {
        const ops = createMempolicyOps();
        ops.changeProtNuma = (_k, _vma, start, end) => {
          calls.push({ start, end });
          let n = 0;
          for (let a = start; a < end; a += PAGE_SIZE) if (populated(a)) n++;
          return n;
        };
        return ops;
      },
      migrate: () => ({ ...createMigrateOps(), migrateRatelimited: () => opts.ratelimited ?? false }),
    },
  });
  const p = k.newTask(0);
  const mm = p.mm!;
  // The counters as a fresh mm of this test starts them (the fork path's own values are tested elsewhere).
  Object.assign(mm, { numaNextScan: 0, numaNextReset: 0, numaScanOffset: 0, numaScanSeq: 0, firstNid: 0 });
  const addVma = (start: number, bytes: number, flags = VM_READ | VM_WRITE): Vma => {
    k.memory.mmap(k, mm, start, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    const vma = k.memory.findVma(mm, start)!;
    vma.flags = (vma.flags & ~(VM_READ | VM_WRITE)) | flags;
    return vma;
  };
  const sf = new SchedFeatures(k.features);
  /** Advance wall time to `ms` and run the work as if queued. */
  const workAt = (ms: number, cpu = 0) => {
    k.runAs(p, cpu);
    k.cpus[cpu].clock = ms * MS;
    taskNumaWork(k, sf, p);
  };
  return { k, sf, mm, p, calls, addVma, workAt };
}

describe("sched features", () => {
  it("NUMA exists from step 26 (default on until 42), NUMA_FORCE from 44; writes need SCHED_DEBUG", () => {
    expect(new SchedFeatures(featuresAtStep(25)).list()).not.toContain("NUMA");
    const s26 = new SchedFeatures(featuresAtStep(26));
    expect(s26.numa).toBe(true);
    expect(s26.list()).not.toContain("NUMA_FORCE");
    const s42 = new SchedFeatures(featuresAtStep(42));
    expect(s42.numa).toBe(false);
    const s44 = new SchedFeatures(featuresAtStep(44));
    expect(s44.list().slice(-2)).toEqual(["NUMA", "NUMA_FORCE"]);
    expect(s44.set("NUMA_FORCE")).toBe(true);
    expect(s44.numaForce).toBe(true);
    expect(s44.set("NO_NUMA_FORCE")).toBe(true);
    expect(s44.numaForce).toBe(false);
    expect(s44.set("NO_SUCH")).toBe(false);
    expect(s44.show()).toContain("NO_NUMA NO_NUMA_FORCE");
    const nodebug = new SchedFeatures({ ...featuresAtStep(44), CONFIG_SCHED_DEBUG: false });
    expect(nodebug.set("NUMA")).toBe(false);
    expect(nodebug.numa).toBe(false);
    // Without the config the bits do not exist: sched_feat_numa() is 0.
    expect(new SchedFeatures({ ...featuresAtStep(30), CONFIG_NUMA_BALANCING: false }).numa).toBe(false);
  });
});

describe("__sched_fork and task_tick_numa", () => {
  it("step 26: period = period_min (5000); the work is queued after > 5 s of CPU", () => {
    const { p, k, mm } = fake(26);
    expect(p.numaScanPeriod).toBe(5000);
    expect(mm.numaNextScan).toBe(0);
    p.se.sumExecRuntime = 5000 * MS;
    taskTickNuma(k, p);
    expect(p.numaWorkQueued).toBe(false);
    p.se.sumExecRuntime += 1;
    taskTickNuma(k, p);
    expect(p.numaWorkQueued).toBe(true);
    expect(p.nodeStamp).toBe(5000 * MS + 1);
  });

  it("step 29: period = scan_delay (sysctl-tunable); first expiry switches to period_min", () => {
    const { p, k } = fake(29, { sysctl: { "kernel.numa_balancing_scan_delay_ms": 300 } });
    expect(p.numaScanPeriod).toBe(300);
    p.se.sumExecRuntime = 301 * MS;
    taskTickNuma(k, p);
    expect(p.numaWorkQueued).toBe(true);
    expect(p.numaScanPeriod).toBe(100);
    const at28 = fake(28);
    expect(at28.p.numaScanPeriod).toBe(100);
  });

  it("the tick does not queue while jiffies are before mm->numa_next_scan", () => {
    const { p, k, mm } = fake(36);
    mm.numaNextScan = 1000;
    p.se.sumExecRuntime = 2000 * MS;
    taskTickNuma(k, p);
    expect(p.numaWorkQueued).toBe(false);
    expect(p.nodeStamp).toBe(2000 * MS); // stamped all the same
  });
});

describe("task_numa_work scan passes", () => {
  it("step 26: every migratable vma whole, seq++ each pass, next pass after 2 periods", () => {
    const f = fake(26);
    f.addVma(USER_BASE, 64 * MB);
    f.addVma(USER_BASE + 128 * MB, 4096); // small vmas are marked too at 26
    f.addVma(USER_BASE + 256 * MB, 2 * MB, VM_READ | VM_IO);
    f.workAt(0);
    expect(f.calls).toEqual([
      { start: USER_BASE, end: USER_BASE + 64 * MB },
      { start: USER_BASE + 128 * MB, end: USER_BASE + 128 * MB + 4096 },
    ]);
    expect(f.mm.numaScanSeq).toBe(1);
    expect(f.mm.numaNextScan).toBe(2 * msecsToJiffies(5000));
    f.workAt(9999); // too early
    expect(f.calls.length).toBe(2);
    f.workAt(10_000);
    expect(f.calls.length).toBe(4);
    expect(f.mm.numaScanSeq).toBe(2);
  });

  it("step 27: 256 MB of virtual range per pass, resuming at the offset; small vmas skipped; seq++ on wrap", () => {
    const f = fake(27, { populated: () => false });
    f.addVma(USER_BASE, 1 * MB); // small: skipped
    f.addVma(USER_BASE + 2 * MB, 400 * MB);
    f.addVma(USER_BASE + 512 * MB, 200 * MB);
    f.workAt(0);
    expect(f.calls).toEqual([{ start: USER_BASE + 2 * MB, end: USER_BASE + 258 * MB }]);
    expect(f.mm.numaScanOffset).toBe(USER_BASE + 258 * MB);
    expect(f.mm.numaScanSeq).toBe(0);
    f.workAt(200);
    expect(f.calls.slice(1)).toEqual([
      { start: USER_BASE + 258 * MB, end: USER_BASE + 402 * MB },
      { start: USER_BASE + 512 * MB, end: USER_BASE + 624 * MB },
    ]);
    // The budget ran out in the last vma: the cursor had moved past it, so the scan wrapped mid-vma.
    expect(f.mm.numaScanSeq).toBe(1);
    expect(f.mm.numaScanOffset).toBe(0);
    f.workAt(400);
    expect(f.calls.slice(3)).toEqual([{ start: USER_BASE + 2 * MB, end: USER_BASE + 258 * MB }]);
  });

  it("step 28: the budget is updated entries; sparse ranges cost nothing; stops mid-vma 2 MB-aligned", () => {
    // Only the first 4 KiB of each 2 MB is populated: 512 entries per GB.
    const f = fake(28, { populated: (a) => (a - USER_BASE) % (2 * MB) === 0 });
    f.addVma(USER_BASE, 1024 * MB);
    f.workAt(0);
    // 256 MB chunks that each cost 128 entries: the whole GB is walked in one pass, which then wraps.
    expect(f.calls.length).toBe(4);
    expect(f.calls[0]).toEqual({ start: USER_BASE, end: USER_BASE + 256 * MB });
    expect(f.calls[3].end).toBe(USER_BASE + 1024 * MB);
    expect(f.mm.numaScanSeq).toBe(1);
    // At 27 the same pass is charged virtual range: it stops after 256 MB.
    const v = fake(27, { populated: (a) => (a - USER_BASE) % (2 * MB) === 0 });
    v.addVma(USER_BASE, 1024 * MB);
    v.workAt(0);
    expect(v.calls).toEqual([{ start: USER_BASE, end: USER_BASE + 256 * MB }]);
    const g = fake(28);
    g.addVma(USER_BASE, 1024 * MB);
    g.workAt(0);
    expect(g.calls).toEqual([{ start: USER_BASE, end: USER_BASE + 256 * MB }]);
    expect(g.mm.numaScanOffset).toBe(USER_BASE + 256 * MB);
    expect(g.mm.numaScanOffset % HPAGE_SIZE).toBe(0);
    const z = fake(28, { sysctl: { "kernel.numa_balancing_scan_size_mb": 0 } });
    z.addVma(USER_BASE, 64 * MB);
    z.workAt(0);
    expect(z.calls).toEqual([]);
    expect(z.mm.numaNextScan).toBeGreaterThan(0); // the slot was consumed all the same
  });

  it("step 35: nothing is marked while this node is rate limited", () => {
    for (const [step, n] of [
      [34, 1],
      [35, 0],
    ] as const) {
      const f = fake(step, { ratelimited: true });
      f.addVma(USER_BASE, 64 * MB);
      f.workAt(0);
      expect(f.calls.length).toBe(n);
    }
  });

  it("step 36: the next pass is one period away", () => {
    const f = fake(36);
    f.addVma(USER_BASE, 64 * MB);
    f.p.numaScanPeriod = 100;
    f.workAt(0);
    expect(f.mm.numaNextScan).toBe(msecsToJiffies(100));
  });

  it("step 41: the period snaps back to min when numa_next_reset has passed", () => {
    const f = fake(41);
    f.addVma(USER_BASE, 64 * MB);
    f.p.numaScanPeriod = 3000;
    f.workAt(1000);
    expect(f.p.numaScanPeriod).toBe(100);
    expect(f.mm.numaNextReset).toBe(msecsToJiffies(1000) + msecsToJiffies(60_000));
    f.p.numaScanPeriod = 3000;
    f.workAt(30_000);
    expect(f.p.numaScanPeriod).toBe(3000);
  });

  it("step 44: first_nid INIT records the node; same node never scans (unless NUMA_FORCE); another node activates", () => {
    const f = fake(44);
    f.addVma(USER_BASE, 64 * MB);
    f.mm.firstNid = NUMA_PTE_SCAN_INIT;
    f.workAt(0, 0);
    expect(f.mm.firstNid).toBe(0);
    expect(f.calls.length).toBe(0);
    f.sf.set("NUMA_FORCE");
    f.workAt(10, 0);
    expect(f.mm.firstNid).toBe(NUMA_PTE_SCAN_ACTIVE);
    expect(f.calls.length).toBe(1);
    const g = fake(44);
    g.addVma(USER_BASE, 64 * MB);
    g.mm.firstNid = 0; // an mm from newMm (exec): as if first seen on node 0
    g.workAt(0, 1);
    expect(g.mm.firstNid).toBe(NUMA_PTE_SCAN_ACTIVE);
    expect(g.calls.length).toBe(1);
    g.workAt(1000, 0);
    expect(g.calls.length).toBe(2); // sticky
  });
});

describe("task_numa_fault", () => {
  it("no growth before 36; +2 jiffies per fault at 36 (capped); +10 jiffies only when not migrated from 41", () => {
    const a = fake(35);
    a.p.numaScanPeriod = 100;
    taskNumaFault(a.k, a.sf, 0, 1, false);
    expect(a.p.numaScanPeriod).toBe(100);
    const b = fake(36);
    b.p.numaScanPeriod = 100;
    taskNumaFault(b.k, b.sf, 0, 1, true);
    expect(b.p.numaScanPeriod).toBe(108);
    b.p.numaScanPeriod = 1598;
    taskNumaFault(b.k, b.sf, 0, 1, true);
    expect(b.p.numaScanPeriod).toBe(1600);
    const c = fake(41);
    c.p.numaScanPeriod = 100;
    taskNumaFault(c.k, c.sf, 0, 1, true);
    expect(c.p.numaScanPeriod).toBe(100);
    taskNumaFault(c.k, c.sf, 0, 1, false);
    expect(c.p.numaScanPeriod).toBe(140);
  });

  it("step 42: nothing happens while NUMA is off; placement syncs the scan sequence", () => {
    const f = fake(42);
    f.p.numaScanPeriod = 100;
    f.mm.numaScanSeq = 3;
    taskNumaFault(f.k, f.sf, 0, 1, false);
    expect(f.p.numaScanPeriod).toBe(100);
    expect(f.p.numaScanSeq).toBe(0);
    f.sf.set("NUMA");
    taskNumaFault(f.k, f.sf, 0, 1, false);
    expect(f.p.numaScanPeriod).toBe(140);
    expect(f.p.numaScanSeq).toBe(3);
  });
});
