/**
 * A kernbench-like build (mmtests kernbench: make -j vmlinux): `make` runs -j job slots, each a
 * shell that forks one short-lived compiler process after another. A compiler job maps a heap,
 * faults it in, reworks part of it and computes, then exits: fork, exec-sized address spaces and
 * exit dominate, and no process lives long enough to be worth balancing (why slow start, step 29,
 * mattered). The source tree sits in tmpfs, written by make before the build starts (as a tree
 * untarred into /tmp): every compiler run reads its own source file and the shared headers
 * through the page cache (mapped private and read-only, as a file read would copy them). The tree
 * is two tmpfs files: the sources end to end, one slice per run, and the headers. Score: elapsed
 * seconds and jobs per second.
 */
import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MAP_SHARED,
  NSEC_PER_SEC,
  O_CREAT,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  type UserApi,
} from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { ensureFitsAtScale, mappingBytes } from "./footprint.js";
import { ensureHostFits } from "./host-limits.js";
import { parseNumOpts } from "./options.js";
import { Script, act, call, computeFor, join, lazy, randomPages, sweep, type ScriptStep } from "@balancenuma/userspace";
import type { Workload, WorkloadScore } from "./workload.js";

const MiB = 1024 * 1024;
/** The source tree's two tmpfs files. */
const SOURCES = "/tmp/kbuild-sources";
const HEADERS = "/tmp/kbuild-headers";

/** Whole pages, at least one. */
const pageBytes = (bytes: number): number => Math.max(PAGE_SIZE, Math.floor(bytes / PAGE_SIZE) * PAGE_SIZE);

/** A new file of `bytes` in tmpfs, mapped shared and writable for its writer (the descriptor is closed again). */
function createFile(u: UserApi, path: string, bytes: number): number {
  const fd = u.open(path, O_RDWR | O_CREAT | O_TRUNC);
  if (fd < 0 || u.ftruncate(fd, bytes) < 0) return fd;
  const a = u.mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  u.close(fd);
  return a;
}

/** A private read-only mapping of [offset, offset + bytes) of the file at `path` (the descriptor is closed again). */
function mapForReading(u: UserApi, path: string, bytes: number, offset: number): number {
  const fd = u.open(path, O_RDONLY);
  if (fd < 0) return fd;
  const a = u.mmap(0, bytes, PROT_READ, MAP_PRIVATE, fd, offset);
  u.close(fd);
  return a;
}

export const kbuild: Workload = {
  name: "kbuild",
  description: "kernbench-style build: make -j(2 x nr_cpus) forks short-lived compiler processes (fork/exit heavy, slow start)",
  usage: "-- [--jobs N (2 x nr_cpus)] [--files N (16 x nr_cpus)] [--heap-mb MB (32)] [--cc-ms MS (100)] [--src-kb KB (64)] [--headers-mb MB (4)]",
  defaultSeconds: 3600,
  start(k, ctx) {
    const o = parseNumOpts("kbuild", ctx.args, [
      { long: "jobs", short: "j", min: 1, max: 4096, integer: true, what: "make -j slots" },
      { long: "files", min: 1, max: 1_000_000, integer: true, what: "compiler runs in the build" },
      { long: "heap-mb", min: 1, max: 65536, what: "MB of heap one compiler run uses" },
      { long: "cc-ms", min: 1, max: 60_000, what: "CPU milliseconds one compiler run computes" },
      { long: "src-kb", min: 4, max: 1_048_576, what: "KB of source one compiler run reads from tmpfs" },
      { long: "headers-mb", min: 1, max: 65536, what: "MB of headers in tmpfs every compiler run reads" },
    ]);
    const scale = ctx.scale ?? 1;
    const jobs = o.jobs ?? 2 * k.topology.nrCpus;
    const files = o.files ?? 16 * k.topology.nrCpus;
    const heap = Math.max(64 * 1024, Math.floor(((o["heap-mb"] ?? 32) * MiB * scale) / 4096) * 4096);
    // make, a shell per job slot and the compiler each slot runs.
    ensureHostFits(`kbuild: --jobs ${jobs}`, { processes: 1 + 2 * jobs, tasks: 1 + 2 * jobs }, "use fewer --jobs");
    const src = pageBytes((o["src-kb"] ?? 64) * 1024 * scale);
    const headers = pageBytes((o["headers-mb"] ?? 4) * MiB * scale);
    // The compilers' heaps, and the tree in the page cache.
    const need = jobs * mappingBytes(heap) + mappingBytes(files * src) + mappingBytes(headers);
    ensureFitsAtScale(k, need, "kbuild", scale, [
      "a smaller --heap-mb",
      "fewer --jobs (one compiler heap each)",
      "a smaller --src-kb, --headers-mb or fewer --files (the source tree in tmpfs)",
    ]);
    const ccNs = (o["cc-ms"] ?? 100) * 1e6;
    const state = { launched: 0, done: 0, startNs: -1, endNs: 0 };
    const rng = k.rng.fork();
    /**
     * Compiler run `i`: read its source and the headers from tmpfs, map a heap, fault it in, compute
     * and rework a quarter of it at random, exit.
     */
    const compiler = (i: number): Script => {
      let addr = 0;
      let source = 0;
      let include = 0;
      const steps: ScriptStep[] = [
        call("map the source", (u) => (source = mapForReading(u, SOURCES, src, i * src))),
        lazy(() => sweep(() => source, src, { loops: 1, write: false })),
        call("map the headers", (u) => (include = mapForReading(u, HEADERS, headers, 0))),
        lazy(() => sweep(() => include, headers, { loops: 1, write: false })),
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
            child = u.fork(compiler(state.launched++), "cc1");
            if (u.budgetLeft() <= 0) return "again";
          }
        },
      ]);
    };
    const slots: number[] = [];
    // The tree, written (as tar would) and unmapped before the build is timed: it stays in the page cache.
    let tree = 0;
    let includeTree = 0;
    const make = new Script([
      call("create the sources", (u) => (tree = createFile(u, SOURCES, files * src))),
      lazy(() => sweep(() => tree, files * src, { loops: 1 })),
      call("unmap the sources", (u) => u.munmap(tree, files * src)),
      call("create the headers", (u) => (includeTree = createFile(u, HEADERS, headers))),
      lazy(() => sweep(() => includeTree, headers, { loops: 1 })),
      call("unmap the headers", (u) => u.munmap(includeTree, headers)),
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
