/** Integration: the scheduler driven by @balancenuma/kernel's event loop. */
import { describe, it, expect } from "vitest";
import { NSEC_PER_SEC, RUN_BUDGET_USED, type UserProgram } from "@balancenuma/include-linux";
import { bootAtStep } from "../boot.js";

const MS = 1_000_000;
const spinner = (): UserProgram => ({
  run: (u) => {
    u.compute(u.budgetLeft());
    return RUN_BUDGET_USED;
  },
});

// Until every subsystem the kernel wires at boot exists, booting throws; these tests then wait.
const canBoot = (() => {
  try {
    bootAtStep();
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!canBoot)("CFS under the kernel's event loop", () => {
  it("CPU-bound processes spread to one per CPU and each gets a whole CPU", () => {
    const k = bootAtStep({ topology: "default" });
    const tasks = Array.from({ length: 8 }, (_, i) => k.createProcess({ comm: `spin${i}`, program: spinner() }));
    k.runFor(200 * MS);
    const cpus = tasks.map((t) => t.cpu).sort((a, b) => a - b);
    expect(cpus).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const before = tasks.map((t) => t.se.sumExecRuntime);
    k.runFor(NSEC_PER_SEC);
    for (const [i, t] of tasks.entries()) expect(t.se.sumExecRuntime - before[i]).toBeGreaterThan(0.95 * NSEC_PER_SEC);
  });

  it("processes pinned to a node stay there; the others fill the rest of the machine", () => {
    const k = bootAtStep({ topology: "vega" });
    const node2 = k.topology.nodes[2].cpus.reduce((m: bigint, c: number) => m | (1n << BigInt(c)), 0n);
    const pinned = Array.from({ length: 4 }, () => k.createProcess({ program: spinner(), cpusAllowed: node2 }));
    const free = Array.from({ length: 28 }, () => k.createProcess({ program: spinner() }));
    k.runFor(NSEC_PER_SEC, () => {
      for (const t of pinned) expect(k.topology.cpuToNode[t.cpu]).toBe(2);
    });
    const load = k.cpus.map((c: { id: number }) => k.sched.nrRunning(c.id));
    expect(load).toEqual(Array(32).fill(1));
    expect(free.every((t) => t.onRq)).toBe(true);
  });

  it("sched_setaffinity rejects an empty mask and moves a running task", () => {
    const k = bootAtStep({ topology: "default" });
    const t = k.createProcess({ program: spinner() });
    k.runFor(20 * MS);
    const api = k.userApi(t);
    expect(api.schedSetaffinity(0, 0n)).toBeLessThan(0);
    expect(api.schedSetaffinity(0, 1n << 7n)).toBe(0);
    k.runFor(20 * MS);
    expect(t.cpu).toBe(7);
    expect(k.cpus[7].curr).toBe(t);
  });
});
