/**
 * SPECjbb2005 as the December 2012 comparisons ran it (mmtests specjbb, multi-JVM: one JVM per
 * node, no binding in the automatic runs). Each JVM is one process: a Java heap of 80% of RAM split
 * evenly between the JVMs, with an old generation holding each warehouse's data (populated by its
 * own warehouse thread) and a young generation all threads allocate into; when eden fills, a
 * stop-the-world minor collection copies the survivors. Each warehouse is a driver thread running
 * transactions: latency-bound lookups mostly in its own warehouse's data, some in other
 * warehouses', allocation of new objects and computation. Score: business operations per second
 * (bops) over the measurement window that follows the ramp-up.
 *
 * One warehouse count per run (the expected peak, nr_cpus / JVMs), not the 1..N sweep: pass
 * --warehouses to run another point of the curve.
 */
import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  NSEC_PER_SEC,
  PROT_READ,
  PROT_WRITE,
  Futex,
  TOUCH_LATENCY,
  type Rng,
  type RunResult,
  type UserApi,
} from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { ensureFitsAtScale, mappingBytes } from "./footprint.js";
import { ensureHostFits } from "./host-limits.js";
import { faultError } from "@balancenuma/userspace";
import { parseNumOpts } from "./options.js";
import { Script, act, call, join, lazy, sweep, type ScriptStep } from "@balancenuma/userspace";
import type { Workload, WorkloadScore } from "./workload.js";

const MiB = 1024 * 1024;
const TWO_MIB = 2 * MiB;

interface Jvm {
  id: number;
  heap: number;
  eden: number;
  edenUsed: number;
  gcActive: boolean;
  /** Where warehouse threads wait while a minor collection runs. */
  safepoint: Futex;
  gcs: number;
  ops: number;
  measuredOps: number;
}

export const specjbb: Workload = {
  name: "specjbb",
  description: "SPECjbb2005-like: JVMs (default one per node) x warehouse threads over a shared heap with GC churn, bops",
  usage: "-- [--jvms N (nodes)] [--warehouses N per JVM (nr_cpus/JVMs)] [--ramp-up S (30)] [--measure S (240)] [--heap-fraction F (0.8)]",
  defaultSeconds: 3600,
  start(k, ctx) {
    const o = parseNumOpts("specjbb", ctx.args, [
      { long: "jvms", min: 1, max: 1024, integer: true, what: "JVM instances" },
      { long: "warehouses", min: 1, max: 4096, integer: true, what: "warehouses (threads) per JVM" },
      { long: "ramp-up", min: 0, max: 36000, what: "ramp-up seconds" },
      { long: "measure", min: 0.01, max: 36000, what: "measurement seconds" },
      { long: "heap-fraction", min: 0.01, max: 0.95, what: "share of RAM for all heaps" },
    ]);
    const scale = ctx.scale ?? 1;
    const jvms = o.jvms ?? k.topology.nodes.length;
    const warehouses = o.warehouses ?? Math.max(1, Math.floor(k.topology.nrCpus / jvms));
    const rampNs = (o["ramp-up"] ?? 30) * NSEC_PER_SEC;
    const measureNs = (o.measure ?? 240) * NSEC_PER_SEC;
    const total = k.topology.nodes.reduce((a, n) => a + n.memBytes, 0);
    const heap = Math.max(16 * MiB, Math.floor((total * (o["heap-fraction"] ?? 0.8) * scale) / jvms / TWO_MIB) * TWO_MIB);
    ensureHostFits(
      `specjbb: --jvms ${jvms} --warehouses ${warehouses}`,
      { processes: jvms, tasks: jvms * (warehouses + 1) },
      "use fewer --jvms or --warehouses",
    );
    ensureFitsAtScale(k, jvms * mappingBytes(heap), "specjbb", scale, ["a smaller --heap-fraction", "fewer --jvms (a heap is at least 16 MiB)"]);
    // Young generation: a third of the heap; each warehouse's data: up to 25 MB of the old generation.
    const eden = Math.floor(heap / 3 / 4096) * 4096;
    const whBytes = Math.max(4096, Math.floor(Math.min(25 * MiB * scale, (heap - eden) / warehouses / 2) / 4096) * 4096);
    const state = { startNs: -1, stop: false };
    const all: Jvm[] = [];
    const leaders = [];
    for (let j = 0; j < jvms; j++) {
      const jvm: Jvm = { id: j, heap, eden, edenUsed: 0, gcActive: false, safepoint: new Futex(), gcs: 0, ops: 0, measuredOps: 0 };
      all.push(jvm);
      let base = 0;
      const tids: number[] = [];
      const threads = Array.from({ length: warehouses }, (_, w) =>
        warehouse(k, jvm, () => base, w, warehouses, whBytes, state, rampNs, measureNs, k.rng.fork()),
      );
      const main = new Script([
        call("mmap heap", (u) => {
          const raw = u.mmap(0, heap + TWO_MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
          base = Math.ceil(raw / TWO_MIB) * TWO_MIB;
          return raw;
        }),
        act((u) => {
          if (state.startNs < 0) state.startNs = u.now();
          for (const t of threads) tids.push(u.cloneThread(t, "java"));
        }),
        join(() => tids),
      ]);
      leaders.push(k.createProcess({ comm: "java", program: main }));
    }
    return {
      scale,
      tasks: leaders,
      done: () => state.startNs >= 0 && k.time >= state.startNs + rampNs + measureNs,
      progress: () => (state.startNs < 0 ? 0 : Math.min(1, (k.time - state.startNs) / (rampNs + measureNs))),
      score: (kk): WorkloadScore => {
        // A run stopped by a time cap is scored over the part of the window that ran: the measured
        // part if it began, else the ramp-up (labelled, as it is not SPECjbb's measurement).
        const ran = state.startNs < 0 ? 0 : kk.time - state.startNs;
        const measuredNs = Math.max(0, Math.min(measureNs, ran - rampNs));
        const overRampUp = measuredNs === 0 && ran > 0;
        const secs = (overRampUp ? ran : measuredNs) / NSEC_PER_SEC;
        const per = all.map((j) => (secs > 0 ? (overRampUp ? j.ops : j.measuredOps) / secs : 0));
        const sum = per.reduce((a, b) => a + b, 0);
        const metrics: Record<string, number> = {
          bops: Number(sum.toFixed(1)),
          "bops/JVM": Number((sum / jvms).toFixed(1)),
          warehouses: warehouses * jvms,
          gcs: all.reduce((a, j) => a + j.gcs, 0),
          "measured secs": Number((measuredNs / NSEC_PER_SEC).toFixed(3)),
        };
        per.forEach((b, i) => (metrics[`jvm${i} bops`] = Number(b.toFixed(1))));
        if (jvms > 1) {
          metrics["min bops"] = Number(Math.min(...per).toFixed(1));
          metrics["max bops"] = Number(Math.max(...per).toFixed(1));
        }
        const window =
          measuredNs === measureNs
            ? []
            : overRampUp
              ? [
                  ` stopped by the time cap during the ramp-up (${(ran / NSEC_PER_SEC).toFixed(3)} s of ${rampNs / NSEC_PER_SEC} s): bops over the ramp-up, not a measurement`,
                ]
              : [` stopped by the time cap: bops over the ${secs.toFixed(3)} s of the ${measureNs / NSEC_PER_SEC} s measurement that ran`];
        return {
          metrics,
          lines: [
            ` ${jvms} JVM${jvms > 1 ? "s" : ""} x ${warehouses} warehouses, heap ${(heap / MiB).toFixed(0)} MiB each, ramp-up ${rampNs / NSEC_PER_SEC} s, measurement ${measureNs / NSEC_PER_SEC} s`,
            ...window,
            ...per.map((b, i) => `   JVM ${i}: ${b.toFixed(1)} bops (${all[i].gcs} minor collections)`),
            ` SpecJBB bops ${sum.toFixed(1)}   bops/JVM ${(sum / jvms).toFixed(1)}`,
          ],
        };
      },
    };
  },
};

/** One warehouse driver thread. */
function warehouse(
  k: KernelInstance,
  jvm: Jvm,
  base: () => number,
  w: number,
  n: number,
  whBytes: number,
  state: { startNs: number; stop: boolean },
  rampNs: number,
  measureNs: number,
  rng: Rng,
): Script {
  const old = () => base() + jvm.eden;
  const mine = () => old() + w * whBytes;
  const whPages = whBytes / 4096;
  const lookups = new Float64Array(24);
  const ALLOC = 16 * 1024; // bytes of new objects per transaction
  const COMPUTE_NS = 20_000;
  /** Run transactions until the window closes; "gc" when eden is full and this thread collects. */
  const tx = (u: UserApi): "next" | "again" | "gc" | RunResult => {
    for (;;) {
      const t = u.now();
      if (t >= state.startNs + rampNs + measureNs) return "next";
      if (jvm.gcActive) return u.futexWait(jvm.safepoint); // stopped at a safepoint until the collection ends
      if (u.budgetLeft() <= 0) return "again";
      if (jvm.edenUsed + ALLOC > jvm.eden) return "gc";
      // Lookups: 20 in this warehouse's data, 4 in others' (stock, customers of remote warehouses).
      for (let i = 0; i < 24; i++) {
        const other = i < 20 ? w : rng.below(n);
        lookups[i] = old() + other * whBytes + rng.below(whPages) * 4096;
      }
      for (let done = 0; done < 24; ) {
        const r = u.touchList(lookups, done, 24, 64, done % 6 === 0, TOUCH_LATENCY);
        if (r < 0) throw faultError("specjbb: lookup", -r);
        done += r;
        if (done < 24 && u.budgetLeft() <= 0) break;
      }
      // New objects go to eden (thread-local allocation buffers carved from the shared eden).
      const at = base() + jvm.edenUsed;
      jvm.edenUsed += ALLOC;
      u.touch(at, ALLOC / 4096, 4096, 4096, true, 0);
      u.compute(COMPUTE_NS);
      jvm.ops++;
      if (t >= state.startNs + rampNs) jvm.measuredOps++;
    }
  };
  // A minor collection: copy the survivors (a tenth of eden) to the survivor space at the top of
  // the young generation, then start eden again. The collecting thread does the work; the others
  // wait at their next safepoint.
  let gc: ScriptStep | null = null;
  const loop: ScriptStep = (u) => {
    for (;;) {
      if (gc) {
        const r = gc(u);
        if (r !== "next") return r;
        gc = null;
        jvm.edenUsed = 0;
        jvm.gcs++;
        jvm.gcActive = false;
        u.futexWake(jvm.safepoint, Infinity);
        continue;
      }
      const r = tx(u);
      if (r !== "gc") return r;
      jvm.gcActive = true;
      const survivors = Math.max(4096, Math.floor(jvm.eden / 10 / 4096) * 4096);
      gc = sweep(() => base() + jvm.eden - survivors, survivors, { loops: 1 });
    }
  };
  return new Script([lazy(() => sweep(mine, whBytes, { loops: 1 })), loop]);
}
