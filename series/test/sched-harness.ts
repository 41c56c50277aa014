/**
 * The scheduler's tests on the real kernel: kernel threads (no address space, so nothing but the
 * scheduler and the event loop at work) that spin, run and sleep periodically, or run a while and
 * exit.
 */
import { RUN_BUDGET_USED, type Features, type Task, type UserApi, type UserProgram } from "@balancenuma/include-linux";
import { findPreset } from "@balancenuma/machine";
import { bootAtStep, type Linux } from "../boot.js";

/** What a test task does with the CPU. */
export type Behaviour =
  /** Burn every ns it gets. */
  | { kind: "spin" }
  /** Run runNs, sleep sleepNs, repeat. */
  | { kind: "periodic"; runNs: number; sleepNs: number }
  /** Run runNs in total, then exit. */
  | { kind: "finite"; runNs: number };

/** A program doing `b` with the CPU time it is given. */
function behave(b: Behaviour): UserProgram {
  if (b.kind === "spin")
    return {
      run: (u) => {
        u.compute(u.budgetLeft());
        return RUN_BUDGET_USED;
      },
    };
  let left = b.runNs;
  return {
    run(u: UserApi) {
      const used = Math.min(left, u.budgetLeft());
      u.compute(used);
      left -= used;
      if (left > 0) return RUN_BUDGET_USED;
      if (b.kind === "finite") return u.exit(0);
      left = b.runNs;
      return u.sleep(b.sleepNs);
    },
  };
}

export class SchedHarness {
  readonly k: Linux;

  /** A machine preset or "nodes=N,cpus=C[,smt=T]" (64 MiB per node unless mem= is given). */
  constructor(topology = "default", features: Partial<Features> = {}) {
    const spec = findPreset(topology) || topology.includes("mem=") ? topology : `${topology},mem=64M`;
    this.k = bootAtStep({ topology: spec, features });
  }

  get topology() {
    return this.k.topology;
  }
  get sched() {
    return this.k.sched;
  }
  get cpus() {
    return this.k.cpus;
  }
  get time() {
    return this.k.time;
  }

  /** A kernel thread forked from `parentCpu` (default: its first allowed CPU), queued. */
  spawn(opts: { behaviour?: Behaviour; cpusAllowed?: bigint; parentCpu?: number; weight?: number; comm?: string } = {}): Task {
    return this.k.createKernelThread({
      comm: opts.comm,
      program: behave(opts.behaviour ?? { kind: "spin" }),
      cpusAllowed: opts.cpusAllowed,
      parentCpu: opts.parentCpu,
      loadWeight: opts.weight,
    });
  }

  /** Run whole ticks for ns; onTick sees the machine after each. */
  runFor(ns: number, onTick?: (h: SchedHarness) => void): void {
    this.k.runFor(ns, () => onTick?.(this));
  }

  /** Tasks queued or running per CPU. */
  perCpu(): number[] {
    return this.k.cpus.map((c) => this.k.sched.nrRunning(c.id));
  }
}
