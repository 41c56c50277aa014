import { RUN_BLOCKED, RUN_BUDGET_USED, Futex, TOUCH_STREAM, type Rng, type RunResult, type UserApi, type UserProgram } from "@balancenuma/include-linux";
import { faultError } from "./errors.js";

/**
 * One step of a scripted program. It returns "next" when finished, "again" when it ran out of
 * budget and must be called again, or a RunResult (blocked/exited) to hand to the kernel; a step
 * that blocked is called again when the task is woken (so waits re-check their condition).
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
      else return r;
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

/** A step that runs a function and moves on (bookkeeping, no system call). */
export function act(fn: (u: UserApi) => void): ScriptStep {
  return (u) => {
    fn(u);
    return "next";
  };
}

/** A step built when it first runs (once its inputs exist) and rebuilt after it finishes. */
export function lazy(build: () => ScriptStep): ScriptStep {
  let inner: ScriptStep | null = null;
  return (u) => {
    inner ??= build();
    const r = inner(u);
    if (r === "next") inner = null;
    return r;
  };
}

/**
 * `count` steps run in order as one step, each built by `build(i)` when it is reached and dropped
 * when done, so a long list of steps costs host memory for the current one only.
 */
export function sequence(count: number, build: (i: number) => ScriptStep): ScriptStep {
  let i = 0;
  let step: ScriptStep | null = null;
  return (u) => {
    while (i < count) {
      if (u.budgetLeft() <= 0) return "again";
      step ??= build(i);
      const r = step(u);
      if (r !== "next") return r;
      step = null;
      i++;
    }
    i = 0;
    return "next";
  };
}

/** Block until every task in `tids()` has exited (pthread_join / waitpid of all of them). */
export function join(tids: () => readonly number[]): ScriptStep {
  return (u) => (u.waitFor(tids()) === RUN_BLOCKED ? RUN_BLOCKED : "next");
}

/** Sleep `ns` of simulated time once. */
export function sleepFor(ns: number): ScriptStep {
  let asleep = false;
  return (u) => {
    if (asleep) {
      asleep = false;
      return "next";
    }
    asleep = true;
    return u.sleep(ns);
  };
}

/** Spend `ns` of CPU time computing (no memory traffic). */
export function computeFor(ns: number): ScriptStep {
  let left = ns;
  return (u) => {
    const b = u.budgetLeft();
    const spend = Math.min(left, b);
    u.compute(spend);
    left -= spend;
    if (left > 0) return "again";
    left = ns;
    return "next";
  };
}

/**
 * A barrier shared by a known number of tasks (pthread_barrier_wait, perf bench's serialised
 * startup): the last to arrive wakes the others through the barrier's futex at that moment.
 */
export class Barrier {
  private arrived = 0;
  private generation = 0;
  private readonly futex = new Futex();
  constructor(public parties: number) {}

  /** A step: arrive, then wait for the others. */
  step(): ScriptStep {
    let myGen = -1;
    return (u) => {
      if (myGen < 0) {
        myGen = this.generation;
        if (++this.arrived >= this.parties) {
          this.arrived = 0;
          this.generation++;
          u.futexWake(this.futex, Infinity);
        }
      }
      if (this.generation === myGen) return u.futexWait(this.futex);
      myGen = -1;
      return "next";
    };
  }
}

function checkTouch(n: number, addr: number): number {
  if (n < 0) throw faultError(`workload: touch at 0x${addr.toString(16)}`, -n);
  return n;
}

export interface SweepOptions {
  /** Passes over the range (Infinity = until the run ends). */
  loops?: number;
  write?: boolean;
  /** Walk from the last page to the first. */
  backward?: boolean;
  /** Start the pass at this page of the range and wrap around. */
  startPage?: () => number;
  /** Bytes moved per 4 KiB page touched (4096: memset/bzero of the whole page). */
  bytesPerPage?: number;
  kind?: number;
  /** Called after each whole pass. */
  onLoop?: () => void;
  /** Checked before each pass: false ends the sweep early. */
  keepGoing?: () => boolean;
}

/**
 * Sweep [addr, addr + bytes) page by page, `loops` times (Infinity = until the run ends), streaming
 * each whole page (memset/bzero style, as autonumabench and perf bench numa do).
 */
export function sweep(getAddr: () => number, bytes: number, opts: SweepOptions = {}): ScriptStep {
  const pages = Math.floor(bytes / 4096);
  const loops = opts.loops ?? Infinity;
  const per = opts.bytesPerPage ?? 4096;
  const kind = opts.kind ?? TOUCH_STREAM;
  const write = opts.write ?? true;
  let done = 0;
  let cursor = 0; // pages done in this pass
  let start = -1;
  return (u) => {
    const addr = getAddr();
    while (done < loops) {
      if (cursor === 0 && start < 0) {
        if (opts.keepGoing && !opts.keepGoing()) break;
        start = opts.startPage ? ((opts.startPage() % pages) + pages) % pages : 0;
      }
      // Forwards the pass is [start, pages) then [0, start); backwards it is the mirror image,
      // start-1 down to 0 then pages-1 down to start.
      while (cursor < pages) {
        let did: number;
        let n: number;
        if (opts.backward) {
          const p = (start - 1 - cursor + 2 * pages) % pages;
          n = Math.min(pages - cursor, p + 1);
          did = checkTouch(u.touch(addr + p * 4096, n, -4096, per, write, kind), addr);
        } else {
          const p = (start + cursor) % pages;
          n = Math.min(pages - cursor, pages - p);
          did = checkTouch(u.touch(addr + p * 4096, n, 4096, per, write, kind), addr);
        }
        cursor += did;
        if (did < n) return "again";
      }
      cursor = 0;
      start = -1;
      done++;
      opts.onLoop?.();
      if (u.budgetLeft() <= 0 && done < loops) return "again";
    }
    done = 0;
    return "next";
  };
}

/** perf bench numa's 32-bit Galois LFSR (taps on bits 1, 5, 6 and 31). */
export function lfsr32(x: number): number {
  const taps = (1 << 1) | (1 << 5) | (1 << 6) | (1 << 31);
  return ((x >>> 1) ^ ((0 - (x & 1)) & taps)) >>> 0;
}

export interface PatternOptions {
  loops?: number;
  write?: boolean;
  kind?: number;
  /** Bytes moved per touch (4096 = whole page; 64 = one cache line). */
  bytesPerTouch?: number;
  onLoop?: () => void;
  keepGoing?: () => boolean;
}

/** Touches per batch of a generated pattern: its host memory per thread (1 KiB) whatever the pass length. */
export const TOUCH_BATCH = 128;

/**
 * The touches of a pattern's passes, generated as they run. `begin(pass)` starts a pass; `fill(buf)`
 * writes the offsets (into the region) of the pass's next touches into `buf`, at most buf.length,
 * and returns how many; 0 ends the pass. Same state, same sequence: it never depends on how the
 * kernel's time slices cut the pass.
 */
export interface TouchGenerator {
  begin(pass: number): void;
  fill(buf: Float64Array): number;
}

/**
 * Run a generated pattern: each pass asks `gen` for batches of TOUCH_BATCH page touches and hands
 * them to the kernel, so host memory stays constant however many touches a pass makes, and no
 * object or closure is made per touch (the simulator's hot path).
 */
function generatedPattern(getAddr: () => number, gen: TouchGenerator, opts: PatternOptions): ScriptStep {
  const loops = opts.loops ?? Infinity;
  const bytes = opts.bytesPerTouch ?? 4096;
  const kind = opts.kind ?? TOUCH_STREAM;
  const write = opts.write ?? true;
  const buf = new Float64Array(TOUCH_BATCH);
  let inPass = false;
  let n = 0;
  let cursor = 0;
  let done = 0;
  return (u) => {
    const addr = getAddr();
    while (done < loops) {
      if (!inPass) {
        if (opts.keepGoing && !opts.keepGoing()) break;
        gen.begin(done);
        inPass = true;
        n = cursor = 0;
      }
      for (;;) {
        if (cursor === n) {
          n = gen.fill(buf);
          cursor = 0;
          if (n === 0) break;
          for (let i = 0; i < n; i++) buf[i] += addr;
        }
        cursor += checkTouch(u.touchList(buf, cursor, n, bytes, write, kind), buf[cursor]);
        if (cursor < n) return "again";
      }
      inPass = false;
      done++;
      opts.onLoop?.();
      if (u.budgetLeft() <= 0 && done < loops) return "again";
    }
    done = 0;
    return "next";
  };
}

/** `touches` uniformly random page touches over the range per pass. */
export function randomPages(getAddr: () => number, bytes: number, rng: Rng, touches: number, opts: PatternOptions = {}): ScriptStep {
  const pages = Math.max(1, Math.floor(bytes / 4096));
  let left = 0;
  return generatedPattern(
    getAddr,
    {
      begin: () => (left = touches),
      fill: (b) => {
        const n = Math.min(left, b.length);
        for (let i = 0; i < n; i++) b[i] = rng.below(pages) * 4096;
        left -= n;
        return n;
      },
    },
    opts,
  );
}

/**
 * A hot set: the first `hotFraction` of the range takes `hotProbability` of the `touches` random
 * page touches of a pass, the rest go anywhere in the cold part.
 */
export function hotSetPages(
  getAddr: () => number,
  bytes: number,
  rng: Rng,
  touches: number,
  hotFraction: number,
  hotProbability: number,
  opts: PatternOptions = {},
): ScriptStep {
  const pages = Math.max(1, Math.floor(bytes / 4096));
  const hot = Math.max(1, Math.min(pages, Math.round(pages * hotFraction)));
  const cold = pages - hot;
  let left = 0;
  return generatedPattern(
    getAddr,
    {
      begin: () => (left = touches),
      fill: (b) => {
        const n = Math.min(left, b.length);
        for (let i = 0; i < n; i++) {
          const inHot = cold === 0 || rng.float() < hotProbability;
          b[i] = (inHot ? rng.below(hot) : hot + rng.below(cold)) * 4096;
        }
        left -= n;
        return n;
      },
    },
    opts,
  );
}

/**
 * perf bench numa's random walk: per pass, words/1024 chunks of 1024 8-byte words (8 KiB) each
 * starting at lfsr % words (clipped at the end of the region), the LFSR seeded from `seed(pass)`.
 * A chunk is touched as the pages it covers, one touch per 4 KiB of chunk (the engine moves a
 * fixed number of bytes per touch), each starting at the chunk's first page.
 */
export function chunkedWalk(
  getAddr: () => number,
  bytes: number,
  seed: (pass: number) => number,
  opts: PatternOptions & { chunkBytes?: number } = {},
): ScriptStep {
  const chunk = opts.chunkBytes ?? 8192;
  const words = Math.floor(bytes / 8);
  const chunkWords = chunk / 8;
  const chunks = Math.max(1, Math.floor(words / chunkWords));
  let lfsr = 0;
  let c = 0; // chunks started this pass
  let first = 0; // the current chunk's first and last page, its touches and those done
  let last = 0;
  let units = 0;
  let unit = 0;
  return generatedPattern(
    getAddr,
    {
      begin: (pass) => {
        lfsr = seed(pass) >>> 0;
        c = units = unit = 0;
      },
      fill: (b) => {
        let n = 0;
        while (n < b.length) {
          if (unit < units) {
            b[n++] = Math.min(first + unit++, last) * 4096;
            continue;
          }
          if (c === chunks) break;
          c++;
          lfsr = lfsr32(lfsr);
          const start = lfsr % words;
          const end = Math.min(start + chunkWords, words - 1);
          if (end <= start) continue;
          first = Math.floor((start * 8) / 4096);
          last = Math.floor((end * 8 - 1) / 4096);
          units = Math.max(1, Math.round(((end - start) * 8) / 4096));
          unit = 0;
        }
        return n;
      },
    },
    { ...opts, bytesPerTouch: 4096 },
  );
}
