import { RUN_BUDGET_USED, type RunResult, type UserApi, type UserProgram } from "@balancenuma/include-linux";

/**
 * One step of a scripted program. It returns "next" when finished, "again" when it ran out of
 * budget and must be called again, or a RunResult (blocked/exited) to hand to the kernel.
 */
export type ScriptStep = (u: UserApi) => "next" | "again" | RunResult;

/** A user program made of steps run in order; each keeps its own cursor across slices. */
export class Script implements UserProgram {
  private pc = 0;
  constructor(private readonly steps: readonly ScriptStep[]) {}

  run(u: UserApi): RunResult {
    while (this.pc < this.steps.length) {
      if (u.budgetLeft() <= 0) return RUN_BUDGET_USED;
      const r = this.steps[this.pc](u);
      if (r === "next") this.pc++;
      else if (r === "again") return RUN_BUDGET_USED;
      else {
        this.pc++;
        return r;
      }
    }
    return u.exit(0);
  }
}

/** A syscall step that must succeed; a failure is a bug in the workload, reported with its errno. */
export function call(what: string, fn: (u: UserApi) => number): ScriptStep {
  return (u) => {
    const r = fn(u);
    if (r < 0) throw new Error(`workload: ${what} failed with errno ${-r}`);
    return "next";
  };
}

/**
 * Sweep [addr, addr + bytes) page by page, `loops` times (Infinity = until the run ends), streaming
 * each whole page (memset/bzero style, as autonumabench and perf bench numa do).
 */
export function sweep(getAddr: () => number, bytes: number, opts: { loops?: number; write?: boolean; onLoop?: () => void } = {}): ScriptStep {
  const pages = Math.floor(bytes / 4096);
  const loops = opts.loops ?? Infinity;
  let done = 0;
  let cursor = 0;
  return (u) => {
    const addr = getAddr();
    while (done < loops) {
      const n = u.touch(addr + cursor * 4096, pages - cursor, 4096, 4096, opts.write ?? true, 0);
      if (n < 0) throw new Error(`workload: touch at 0x${(addr + cursor * 4096).toString(16)} faulted (errno ${-n})`);
      cursor += n;
      if (cursor < pages) return "again";
      cursor = 0;
      done++;
      opts.onLoop?.();
      if (u.budgetLeft() <= 0 && done < loops) return "again";
    }
    done = 0;
    return "next";
  };
}
