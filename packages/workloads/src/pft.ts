/**
 * pft, the page-fault test (Lee Schermerhorn, HP, 0.12x, as mmtests ran it in 2012): N clients
 * (threads of one process, or processes) each fault in their share of an anonymous mapping of
 * MemTotal/5, then unmap it; reports faults per CPU-second and per wall-second. It measures the
 * fault path balancenuma adds work to.
 */
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, TOUCH_STREAM, type Task } from "@balancenuma/include-linux";
import type { KernelInstance } from "@balancenuma/kernel";
import { ensureFitsAtScale, mappingBytes } from "./footprint.js";
import { ensureHostFits } from "./host-limits.js";
import { parseNumOpts } from "./options.js";
import { Script, act, call, join, lazy, sweep, type ScriptStep } from "@balancenuma/userspace";
import type { Workload, WorkloadScore } from "./workload.js";

export const pft: Workload = {
  name: "pft",
  description: "pft page-fault test: N clients fault in their share of a MemTotal/5 anonymous mapping, faults/cpu-s and faults/s",
  usage: "-- [--clients N (nr_cpus)] [--processes 0|1] [--iterations N (5)]  (mapping size: MemTotal/5 x --scale)",
  defaultSeconds: 600,
  start(k, ctx) {
    const o = parseNumOpts("pft", ctx.args, [
      { long: "clients", short: "t", min: 1, max: 4096, integer: true, what: "the number of clients" },
      { long: "processes", min: 0, max: 1, integer: true, what: "1 for process clients (PFT_USE_PROCESSES), 0 for threads" },
      { long: "iterations", short: "i", min: 1, max: 1000, integer: true, what: "how many times each client faults its share in" },
    ]);
    const clients = o.clients ?? k.topology.nrCpus;
    const processes = o.processes === 1;
    const iterations = o.iterations ?? 5;
    const scale = ctx.scale ?? 1;
    const total = k.topology.nodes.reduce((a, n) => a + n.memBytes, 0);
    const share = Math.max(4096, Math.floor(((total / 5) * scale) / clients / 4096) * 4096);
    ensureHostFits(
      `pft: --clients ${clients}${processes ? " --processes 1" : ""}`,
      { processes: processes ? clients + 1 : 1, tasks: clients + 1 },
      "use fewer --clients",
    );
    ensureFitsAtScale(k, clients * mappingBytes(share), "pft", scale, ["fewer --clients (each maps at least a page)"]);
    const state = { faults: 0, startNs: -1, endNs: 0, cpuNs: 0 };
    const client = (): ScriptStep[] => {
      let addr = 0;
      const steps: ScriptStep[] = [];
      for (let it = 0; it < iterations; it++)
        steps.push(
          call("mmap", (u) => (addr = u.mmap(0, share, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS))),
          // One write per page: the fault is the work (pft touches a word per page).
          lazy(() => sweep(() => addr, share, { loops: 1, bytesPerPage: 8, kind: TOUCH_STREAM, onLoop: () => (state.faults += share / 4096) })),
          call("munmap", (u) => u.munmap(addr, share)),
        );
      return steps;
    };
    const ids: number[] = [];
    const main = new Script([
      act((u) => {
        state.startNs = u.now();
        for (let c = 0; c < clients; c++) ids.push(processes ? u.fork(new Script(client()), "pft") : u.cloneThread(new Script(client()), "pft"));
      }),
      join(() => ids),
      act((u) => (state.endNs = u.now())),
    ]);
    const leader: Task = k.createProcess({ comm: "pft", program: main });
    return {
      scale,
      tasks: [leader],
      progress: () => state.faults / ((clients * iterations * share) / 4096),
      score: (kk: KernelInstance): WorkloadScore => {
        const wall = ((state.endNs > 0 ? state.endNs : kk.time) - state.startNs) / 1e9;
        let user = 0;
        let sys = 0;
        for (const t of kk.tasks.values())
          if (t.comm === "pft") {
            user += t.utimeNs / 1e9;
            sys += t.stimeNs / 1e9;
          }
        const cpu = user + sys;
        const metrics = {
          clients,
          faults: state.faults,
          "faults/cpu": cpu > 0 ? Number((state.faults / cpu).toFixed(1)) : 0,
          "faults/sec": wall > 0 ? Number((state.faults / wall).toFixed(1)) : 0,
        };
        return {
          metrics,
          lines: [
            `    Gb  Clients      User     System       Wall     flt/cpu/s    fault/wsec`,
            `  ${((share * clients) / 2 ** 30).toFixed(2).padStart(4)}  ${String(clients).padStart(7)}  ${user.toFixed(2).padStart(7)}s  ${sys.toFixed(2).padStart(8)}s  ${wall.toFixed(2).padStart(8)}s  ${metrics["faults/cpu"].toFixed(3).padStart(12)}  ${metrics["faults/sec"].toFixed(3).padStart(12)}`,
          ],
        };
      },
    };
  },
};
