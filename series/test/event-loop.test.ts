import { describe, expect, it } from "vitest";
import { Futex, RUN_BLOCKED, RUN_BUDGET_USED, TICK_NSEC, type UserApi, type UserProgram } from "@balancenuma/include-linux";
import { bootAtStep } from "../boot.js";
import { DEFAULT_QUANTUM_NS, TIMER_SLACK_NS } from "@balancenuma/kernel";

const MS = 1_000_000;
const spin: UserProgram = {
  run: (u) => {
    u.compute(u.budgetLeft());
    return RUN_BUDGET_USED;
  },
};

/** A program made of one function called at every slice. */
const program = (run: (u: UserApi) => number): UserProgram => ({ run: (u) => run(u) as 0 | 1 | 2 });

describe("the event loop", () => {
  it("gives each CPU its own tick phase, drawn from the seed", () => {
    const phases = (seed: number) => {
      const k = bootAtStep({ seed });
      return k.cpus.map((c) => k.loop.cpuNextTick(c.id) % TICK_NSEC);
    };
    const a = phases(1);
    expect(new Set(a.map((p) => Math.round(p / 1000))).size).toBe(a.length);
    expect(phases(1)).toEqual(a);
    expect(phases(2)).not.toEqual(a);
  });

  it("interleaves CPUs in simulated time: what one CPU does is seen by another within a quantum", () => {
    const k = bootAtStep({ topology: "nodes=1,cpus=2,mem=64M" });
    let setAt = -1;
    let seenAt = -1;
    // CPU 1 raises a flag 1.2 ms in; CPU 0 polls for it in 1 us steps.
    k.createProcess({
      cpusAllowed: 2n,
      program: program((u) => {
        if (setAt < 0 && u.now() >= 1.2 * MS) setAt = u.now();
        u.compute(Math.min(u.budgetLeft(), 1000));
        return RUN_BUDGET_USED;
      }),
    });
    k.createProcess({
      cpusAllowed: 1n,
      program: program((u) => {
        if (seenAt < 0 && setAt >= 0) seenAt = u.now();
        u.compute(Math.min(u.budgetLeft(), 1000));
        return RUN_BUDGET_USED;
      }),
    });
    k.runFor(TICK_NSEC);
    expect(setAt).toBeGreaterThan(0);
    expect(seenAt).toBeGreaterThanOrEqual(setAt - DEFAULT_QUANTUM_NS);
    expect(seenAt).toBeLessThanOrEqual(setAt + DEFAULT_QUANTUM_NS);
  });

  it("wakes a sleeper when its timer fires (within the timer slack), not at a tick", () => {
    for (const seed of [1, 2, 3]) {
      const k = bootAtStep({ seed, topology: "nodes=1,cpus=2,mem=64M" });
      const ran: number[] = [];
      k.createProcess({
        program: program((u) => {
          ran.push(u.now());
          return ran.length === 1 ? u.sleep(1.234 * MS) : RUN_BLOCKED;
        }),
      });
      k.runFor(3 * TICK_NSEC);
      expect(ran).toHaveLength(2);
      const late = ran[1] - (ran[0] + 1.234 * MS);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(TIMER_SLACK_NS + k.cost.wakeLatencyMaxNs + k.cost.syscallNs);
    }
  });

  it("runs a task woken through a futex from the waker's time on, after the idle CPU's wake-up latency", () => {
    const k = bootAtStep({ topology: "nodes=1,cpus=2,mem=64M" });
    const f = new Futex();
    let wokenAt = -1;
    let resumedAt = -1;
    let waited = false;
    k.createProcess({
      cpusAllowed: 1n,
      program: program((u) => {
        if (!waited) {
          waited = true;
          return u.futexWait(f);
        }
        resumedAt = u.now();
        return RUN_BLOCKED;
      }),
    });
    k.createProcess({
      cpusAllowed: 2n,
      program: program((u) => {
        if (u.now() < 2.5 * MS) {
          u.compute(Math.min(u.budgetLeft(), 2.5 * MS - u.now()));
          return RUN_BUDGET_USED;
        }
        wokenAt = u.now();
        u.futexWake(f, 1);
        return RUN_BLOCKED;
      }),
    });
    k.runFor(2 * TICK_NSEC);
    expect(wokenAt).toBeGreaterThanOrEqual(2.5 * MS);
    expect(resumedAt - wokenAt).toBeGreaterThanOrEqual(k.cost.wakeLatencyMinNs);
    expect(resumedAt - wokenAt).toBeLessThanOrEqual(k.cost.wakeLatencyMaxNs + k.cost.contextSwitchNs + k.cost.syscallNs);
  });

  it("shares 8 CPUs evenly among 12 spinners: no lockstep keeps some tasks at half a CPU", () => {
    const k = bootAtStep();
    const tasks = Array.from({ length: 12 }, (_, i) => k.createProcess({ comm: `spin${i}`, program: spin }));
    k.runFor(10e9);
    const share = tasks.map((t) => (t.utimeNs + t.stimeNs) / 10e9);
    for (const s of share) {
      expect(s).toBeGreaterThan((8 / 12) * 0.9);
      expect(s).toBeLessThan((8 / 12) * 1.1);
    }
  });
});
