/**
 * A kernbench-like build (mmtests kernbench: make -j vmlinux): `make` runs -j job slots, each a
 * shell that forks one short-lived compiler process after another. A compiler job maps a heap,
 * faults it in, reworks part of it and computes, then exits: fork, exec-sized address spaces and
 * exit dominate, and no process lives long enough to be worth balancing (why slow start, step 29,
 * mattered). Score: elapsed seconds and jobs per second.
 */
import { MAP_ANONYMOUS, MAP_PRIVATE, NSEC_PER_SEC, PROT_READ, PROT_WRITE } from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { ensureFitsAtScale, mappingBytes } from "./footprint.js";
import { ensureHostFits } from "./host-limits.js";
import { parseNumOpts } from "./options.js";
import { Script, act, call, computeFor, join, lazy, randomPages, sweep, type ScriptStep } from "@balancenuma/userspace";
import type { Workload, WorkloadScore } from "./workload.js";

const MiB = 1024 * 1024;

export const kbuild: Workload = {
  name: "kbuild",
  description: "kernbench-style build: make -j(2 x nr_cpus) forks short-lived compiler processes (fork/exit heavy, slow start)",
  usage: "-- [--jobs N (2 x nr_cpus)] [--files N (16 x nr_cpus)] [--heap-mb MB (32)] [--cc-ms MS (100)]",
  defaultSeconds: 3600,
  start(k, ctx) {
    const o = parseNumOpts("kbuild", ctx.args, [
      { long: "jobs", short: "j", min: 1, max: 4096, integer: true, what: "make -j slots" },
      { long: "files", min: 1, max: 1_000_000, integer: true, what: "compiler runs in the build" },
      { long: "heap-mb", min: 1, max: 65536, what: "MB of heap one compiler run uses" },
      { long: "cc-ms", min: 1, max: 60_000, what: "CPU milliseconds one compiler run computes" },
    ]);
    const scale = ctx.scale ?? 1;
    const jobs = o.jobs ?? 2 * k.topology.nrCpus;
    const files = o.files ?? 16 * k.topology.nrCpus;
    const heap = Math.max(64 * 1024, Math.floor(((o["heap-mb"] ?? 32) * MiB * scale) / 4096) * 4096);
    // make, a shell per job slot and the compiler each slot runs.
    ensureHostFits(`kbuild: --jobs ${jobs}`, { processes: 1 + 2 * jobs, tasks: 1 + 2 * jobs }, "use fewer --jobs");
    ensureFitsAtScale(k, jobs * mappingBytes(heap), "kbuild", scale, ["a smaller --heap-mb", "fewer --jobs (one compiler heap each)"]);
    const ccNs = (o["cc-ms"] ?? 100) * 1e6;
    const state = { launched: 0, done: 0, startNs: -1, endNs: 0 };
    const rng = k.rng.fork();
    /** One compiler run: map a heap, fault it in, compute and rework a quarter of it at random, exit. */
    const compiler = (): Script => {
      let addr = 0;
      const steps: ScriptStep[] = [
        call("mmap", (u) => (addr = u.mmap(0, heap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS))),
        lazy(() => sweep(() => addr, heap, { loops: 1 })),
      ];
      for (let i = 0; i < 4; i++)
        steps.push(
          computeFor(ccNs / 4),
          lazy(() => randomPages(() => addr, heap, rng, Math.max(1, heap / 4096 / 4), { loops: 1, bytesPerTouch: 256 })),
        );
      steps.push(act(() => state.done++));
      return new Script(steps);
    };
    /** A job slot: fork one compiler after another while files are left. */
    const slot = (): Script => {
      let child = -1;
      return new Script([
        (u) => {
          for (;;) {
            if (child >= 0) {
              const r = u.waitFor([child]);
              if (r !== 0) return r;
              child = -1;
            }
            if (state.launched >= files) return "next";
            state.launched++;
            child = u.fork(compiler(), "cc1");
            if (u.budgetLeft() <= 0) return "again";
          }
        },
      ]);
    };
    const slots: number[] = [];
    const make = new Script([
      act((u) => {
        state.startNs = u.now();
        for (let j = 0; j < jobs; j++) slots.push(u.fork(slot(), "sh"));
      }),
      join(() => slots),
      act((u) => (state.endNs = u.now())),
    ]);
    const leader = k.createProcess({ comm: "make", program: make });
    return {
      scale,
      tasks: [leader],
      progress: () => state.done / files,
      score: (kk: KernelInstance): WorkloadScore => {
        const elapsed = ((state.endNs > 0 ? state.endNs : kk.time) - state.startNs) / NSEC_PER_SEC;
        const metrics = {
          "elapsed secs": Number(elapsed.toFixed(3)),
          "jobs done": state.done,
          "jobs/sec": elapsed > 0 ? Number((state.done / elapsed).toFixed(2)) : 0,
        };
        return { metrics, lines: [` make -j${jobs}: ${state.done}/${files} compiler runs in ${elapsed.toFixed(3)} s (${metrics["jobs/sec"]} jobs/s)`] };
      },
    };
  },
};
