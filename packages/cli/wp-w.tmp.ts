import { workerData } from "node:worker_threads";
import { runWorkload } from "@balancenuma/workloads";
const { port, signal } = workerData as { port: import("node:worker_threads").MessagePort; signal: Int32Array };
port.on("message", (cell: { step: number }) => {
  const { report } = runWorkload({ workload: "remote-memory", seconds: 0.5, step: cell.step, seed: 1 });
  port.postMessage({ step: cell.step, elapsed: report.elapsedSeconds, sys: report.systemSeconds });
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});
