import { describe, it, expect } from "vitest";
import { EINVAL, NSEC_PER_SEC, TICK_NSEC } from "@balancenuma/include-linux";
import { SchedHarness } from "./sched-harness.js";

const MS = 1_000_000;
const nodeMask = (h: SchedHarness, nid: number) => h.topology.nodes[nid].cpus.reduce((m, c) => m | (1n << BigInt(c)), 0n);
const allowed = (mask: bigint, cpu: number) => ((mask >> BigInt(cpu)) & 1n) === 1n;

describe("run queue and vruntime (kernel/sched/fair.c)", () => {
  it("two tasks on one CPU share it evenly and keep their vruntimes within a slice", () => {
    const h = new SchedHarness("default");
    const a = h.spawn({ cpusAllowed: 1n });
    const b = h.spawn({ cpusAllowed: 1n });
    expect(h.sched.nrRunning(0)).toBe(2);
    let maxSpread = 0;
    h.runFor(NSEC_PER_SEC, () => (maxSpread = Math.max(maxSpread, Math.abs(a.se.vruntime - b.se.vruntime))));
    const total = a.se.sumExecRuntime + b.se.sumExecRuntime;
    expect(total).toBeGreaterThan(0.95 * NSEC_PER_SEC);
    expect(Math.abs(a.se.sumExecRuntime - b.se.sumExecRuntime)).toBeLessThan(0.05 * total);
    // Preemption at the tick keeps them within about one slice (latency/2 = 12 ms) plus a tick.
    expect(maxSpread).toBeLessThanOrEqual(h.sched.tunables.latencyNs / 2 + 2 * TICK_NSEC);
    expect(a.nivcsw).toBeGreaterThan(10);
  });

  it("load weight sets the share: weight 2048 gets twice the CPU of weight 1024", () => {
    const h = new SchedHarness("default");
    const heavy = h.spawn({ cpusAllowed: 1n, weight: 2048 });
    const light = h.spawn({ cpusAllowed: 1n, weight: 1024 });
    h.runFor(2 * NSEC_PER_SEC);
    const ratio = heavy.se.sumExecRuntime / light.se.sumExecRuntime;
    expect(ratio).toBeGreaterThan(1.8);
    expect(ratio).toBeLessThan(2.2);
  });

  it("min_vruntime never goes backwards and a woken sleeper is placed at most half a latency behind", () => {
    const h = new SchedHarness("nodes=1,cpus=1");
    const spinner = h.spawn();
    const sleeper = h.spawn({ behaviour: { kind: "periodic", runNs: 1 * MS, sleepNs: 200 * MS } });
    let last = 0;
    h.runFor(NSEC_PER_SEC, (hh) => {
      const mv = hh.sched.rq(0).minVruntime;
      expect(mv).toBeGreaterThanOrEqual(last);
      last = mv;
      if (sleeper.onRq) expect(sleeper.se.vruntime).toBeGreaterThanOrEqual(mv - hh.sched.tunables.latencyNs / 2 - 1);
    });
    // The sleeper wakes about 5 times and each time runs its 1 ms promptly.
    expect(sleeper.se.sumExecRuntime).toBeGreaterThanOrEqual(4 * MS);
    expect(spinner.se.sumExecRuntime).toBeGreaterThan(0.9 * NSEC_PER_SEC);
  });
});

describe("fork placement (select_task_rq_fair with SD_BALANCE_FORK)", () => {
  it("N CPU-bound tasks forked on one CPU of an idle machine land one per CPU (at once, or soon after on SMT)", () => {
    for (const preset of ["default", "vega", "4n48c", "8n64c"]) {
      const h = new SchedHarness(preset);
      const n = h.topology.nrCpus;
      for (let i = 0; i < n; i++) h.spawn({ parentCpu: 0 });
      // On 4n48c a node of 12 SMT threads has the power of ~7 CPUs, so the last forks see less than
      // find_idlest_group's 112% imbalance between nodes and stack locally; balancing fixes that.
      if (preset !== "4n48c") expect(h.perCpu(), preset).toEqual(Array(n).fill(1));
      h.runFor(200 * MS);
      expect(h.perCpu(), preset).toEqual(Array(n).fill(1));
    }
  });

  it("forks alternate between nodes first: the idlest group wins at the NUMA level", () => {
    const h = new SchedHarness("vega");
    const nodes = [];
    for (let i = 0; i < 4; i++) nodes.push(h.topology.cpuToNode[h.spawn({ parentCpu: 0 }).cpu]);
    expect(new Set(nodes).size).toBe(4);
  });

  it("a fork goes to an idle CPU of the other node when the parent's node is busy", () => {
    const h = new SchedHarness("default");
    for (let i = 0; i < 4; i++) h.spawn({ cpusAllowed: nodeMask(h, 0) });
    const t = h.spawn({ parentCpu: 2 });
    expect(h.topology.cpuToNode[t.cpu]).toBe(1);
    expect(h.sched.nrRunning(t.cpu)).toBe(1);
  });

  it("fork placement honours cpus_allowed", () => {
    const h = new SchedHarness("vega");
    const mask = nodeMask(h, 2);
    for (let i = 0; i < 20; i++) {
      const t = h.spawn({ cpusAllowed: mask });
      expect(h.topology.cpuToNode[t.cpu]).toBe(2);
    }
    // Spread over node 2's CPUs, not stacked.
    expect(Math.max(...h.topology.nodes[2].cpus.map((c) => h.sched.nrRunning(c)))).toBeLessThanOrEqual(3);
  });
});

describe("wakeup placement (wake_affine, select_idle_sibling)", () => {
  it("a sleeper whose CPU got busy wakes on an idle CPU of its node", () => {
    const h = new SchedHarness("default");
    const s = h.spawn({ behaviour: { kind: "periodic", runNs: 1 * MS, sleepNs: 20 * MS }, cpusAllowed: nodeMask(h, 0) });
    h.runFor(8 * MS); // it runs and sleeps
    expect(s.onRq).toBe(false);
    const prev = s.cpu;
    h.spawn({ cpusAllowed: 1n << BigInt(prev) }); // its CPU now has a spinner
    h.runFor(40 * MS);
    expect(s.cpu).not.toBe(prev);
    expect(h.topology.cpuToNode[s.cpu]).toBe(0);
  });

  it("a timer wakeup on an idle machine stays on the previous CPU", () => {
    const h = new SchedHarness("default");
    const s = h.spawn({ behaviour: { kind: "periodic", runNs: 1 * MS, sleepNs: 10 * MS } });
    const first = s.cpu;
    const migrations = s.se.nrMigrations;
    h.runFor(200 * MS);
    expect(s.cpu).toBe(first);
    expect(s.se.nrMigrations).toBe(migrations);
  });
});

describe("load balancing", () => {
  it("CPU-bound tasks started on one CPU spread to one per CPU once allowed everywhere", () => {
    for (const preset of ["default", "vega", "4n48c"]) {
      const h = new SchedHarness(preset);
      const n = h.topology.nrCpus;
      const tasks = Array.from({ length: n }, () => h.spawn({ cpusAllowed: 1n }));
      h.runFor(20 * MS);
      expect(h.sched.nrRunning(0)).toBe(n);
      for (const t of tasks) expect(h.sched.setCpusAllowed(h.k, t, (1n << BigInt(n)) - 1n)).toBe(0);
      let spreadAt = -1;
      h.runFor(2 * NSEC_PER_SEC, (hh) => {
        if (spreadAt < 0 && hh.perCpu().every((x) => x === 1)) spreadAt = hh.time;
      });
      expect(spreadAt, preset).toBeGreaterThan(0);
      expect(spreadAt - 20 * MS, preset).toBeLessThan(NSEC_PER_SEC);
      expect(h.perCpu(), preset).toEqual(Array(n).fill(1));
      expect(tasks.reduce((s, t) => s + t.se.nrMigrations, 0)).toBeGreaterThanOrEqual(n - 1);
    }
  });

  it("with twice as many tasks as CPUs every task gets within 10% of its fair share over a second", () => {
    const h = new SchedHarness("default");
    const tasks = Array.from({ length: 16 }, () => h.spawn({ parentCpu: 0 }));
    h.runFor(NSEC_PER_SEC);
    const before = tasks.map((t) => t.se.sumExecRuntime);
    h.runFor(NSEC_PER_SEC);
    const fair = NSEC_PER_SEC / 2;
    for (const [i, t] of tasks.entries()) expect(Math.abs(t.se.sumExecRuntime - before[i] - fair) / fair).toBeLessThan(0.1);
    for (let c = 0; c < 8; c++) {
      const here = tasks.filter((t) => t.cpu === c).map((t) => t.se.vruntime);
      expect(Math.max(...here) - Math.min(...here)).toBeLessThanOrEqual(h.sched.tunables.latencyNs);
    }
  });

  it("with 12 tasks on 8 CPUs balancing rotates them: no CPU idles, both nodes carry six, shares stay near fair", () => {
    // Tasks that block briefly now and then (as real programs do) break the lockstep of a tick-synchronous
    // machine; pure spinners are checked separately below.
    const h = new SchedHarness("default");
    const tasks = Array.from({ length: 12 }, (_, i) => h.spawn({ parentCpu: 0, behaviour: { kind: "periodic", runNs: (47 + i) * MS, sleepNs: 0.2 * MS } }));
    h.runFor(NSEC_PER_SEC);
    const before = tasks.map((t) => t.se.sumExecRuntime);
    const idle0 = h.cpus.map((c) => c.idleNs);
    h.runFor(NSEC_PER_SEC);
    const fair = (8 / 12) * NSEC_PER_SEC;
    for (const [i, t] of tasks.entries()) expect(Math.abs(t.se.sumExecRuntime - before[i] - fair) / fair).toBeLessThan(0.15);
    for (const c of h.cpus) expect(c.idleNs - idle0[c.id]).toBeLessThan(0.05 * NSEC_PER_SEC);
    const perNode = [0, 0];
    for (const t of tasks) if (t.onRq) perNode[h.topology.cpuToNode[t.cpu]]++;
    expect(Math.abs(perNode[0] - perNode[1])).toBeLessThanOrEqual(1);
  });

  it("12 pure spinners on 8 CPUs: no task gets less than 70% of its fair share", () => {
    const h = new SchedHarness("default");
    const tasks = Array.from({ length: 12 }, () => h.spawn({ parentCpu: 0 }));
    h.runFor(NSEC_PER_SEC);
    const before = tasks.map((t) => t.se.sumExecRuntime);
    h.runFor(NSEC_PER_SEC);
    const fair = (8 / 12) * NSEC_PER_SEC;
    for (const [i, t] of tasks.entries()) expect(t.se.sumExecRuntime - before[i]).toBeGreaterThan(0.7 * fair);
    expect(h.perCpu().reduce((a, b) => a + b, 0)).toBe(12);
    expect(Math.min(...h.perCpu())).toBeGreaterThanOrEqual(1);
  });

  it("every placement and balance respects cpus_allowed", () => {
    const h = new SchedHarness("vega");
    const n = h.topology.nrCpus;
    const tasks = Array.from({ length: 48 }, (_, i) => {
      // Deterministic assorted masks: one CPU, one node, two nodes, everything.
      const kind = i % 4;
      const mask =
        kind === 0 ? 1n << BigInt((i * 7) % n) : kind === 1 ? nodeMask(h, i % 4) : kind === 2 ? nodeMask(h, 1) | nodeMask(h, 3) : (1n << BigInt(n)) - 1n;
      const behaviour = i % 3 === 0 ? ({ kind: "periodic", runNs: 3 * MS, sleepNs: 5 * MS } as const) : ({ kind: "spin" } as const);
      return h.spawn({ cpusAllowed: mask, parentCpu: i % n, behaviour });
    });
    h.runFor(NSEC_PER_SEC, () => {
      for (const t of tasks) expect(allowed(t.cpusAllowed, t.cpu)).toBe(true);
    });
    expect(tasks.reduce((s, t) => s + t.se.nrMigrations, 0)).toBeGreaterThan(0);
  });

  it("a task pinned to a node stays on it while the machine is overloaded", () => {
    const h = new SchedHarness("default");
    const pinned = h.spawn({ cpusAllowed: nodeMask(h, 1), parentCpu: 0 });
    for (let i = 0; i < 12; i++) h.spawn({ parentCpu: i % 8, behaviour: i % 2 ? { kind: "spin" } : { kind: "periodic", runNs: 2 * MS, sleepNs: 3 * MS } });
    const seen = new Set<number>();
    h.runFor(NSEC_PER_SEC, () => seen.add(h.topology.cpuToNode[pinned.cpu]));
    expect([...seen]).toEqual([1]);
    expect(pinned.se.sumExecRuntime).toBeGreaterThan(0.2 * NSEC_PER_SEC);
  });

  it("idle CPUs pull work from an overloaded node (newidle and idle balancing)", () => {
    const h = new SchedHarness("default");
    const tasks = Array.from({ length: 8 }, () => h.spawn({ cpusAllowed: nodeMask(h, 0) }));
    h.runFor(10 * MS);
    expect(h.perCpu().slice(0, 4)).toEqual([2, 2, 2, 2]);
    for (const t of tasks) h.sched.setCpusAllowed(h.k, t, 0xffn);
    h.runFor(NSEC_PER_SEC);
    expect(h.perCpu()).toEqual(Array(8).fill(1));
  });
});

describe("sched_setaffinity (set_cpus_allowed_ptr)", () => {
  it("rejects an empty mask and a mask without an online CPU", () => {
    const h = new SchedHarness("default");
    const t = h.spawn();
    expect(h.sched.setCpusAllowed(h.k, t, 0n)).toBe(-EINVAL);
    expect(h.sched.setCpusAllowed(h.k, t, 1n << 40n)).toBe(-EINVAL);
    expect(t.cpusAllowed).toBe(0xffn);
  });

  it("moves a running or queued task off a CPU it may no longer use", () => {
    const h = new SchedHarness("default");
    const a = h.spawn({ cpusAllowed: 1n });
    const b = h.spawn({ cpusAllowed: 1n });
    h.runFor(8 * MS);
    const running = h.sched.rq(0).curr as NonNullable<typeof a>;
    const queued = running === a ? b : a;
    expect(h.sched.setCpusAllowed(h.k, running, nodeMask(h, 1))).toBe(0);
    expect(h.topology.cpuToNode[running.cpu]).toBe(1);
    expect(h.sched.setCpusAllowed(h.k, queued, 1n << 6n)).toBe(0);
    expect(queued.cpu).toBe(6);
    expect(running.se.nrMigrations).toBe(1);
    h.runFor(100 * MS, () => {
      expect(h.topology.cpuToNode[running.cpu]).toBe(1);
      expect(queued.cpu).toBe(6);
    });
    expect(h.sched.nrRunning(0)).toBe(0);
  });

  it("a task that moved itself mid-slice is accounted where it now is", () => {
    const h = new SchedHarness("default");
    const t = h.spawn({ cpusAllowed: 1n });
    h.runFor(4 * MS);
    // As if t called sched_setaffinity on itself while running on CPU 0.
    h.k.currentCpu = 0;
    h.k.current = t;
    h.sched.setCpusAllowed(h.k, t, 1n << 3n);
    const before = t.se.sumExecRuntime;
    h.sched.updateCurr(h.k, 0, 1 * MS);
    expect(t.se.sumExecRuntime).toBe(before + 1 * MS);
    h.k.current = null;
    h.runFor(8 * MS);
    expect(t.cpu).toBe(3);
    expect(h.sched.rq(3).curr).toBe(t);
  });
});
