// Development entry of the sweep worker: the CLI runs from TypeScript sources (tsx), and a worker
// does not inherit tsx's loader on Node 20 (`execArgv: ["--import", "tsx"]` leaves the worker's
// entry unloadable), so register tsx here and then load worker.ts. Built CLIs load worker.js.
import { workerData } from "node:worker_threads";

try {
  const { register } = await import("tsx/esm/api");
  register();
  await import(import.meta.resolve("./worker.ts"));
} catch (e) {
  workerData.port.postMessage({ cell: null, error: `the sweep worker could not start: ${e instanceof Error ? e.message : String(e)}`, usage: false });
  Atomics.add(workerData.signal, 0, 1);
  Atomics.notify(workerData.signal, 0);
}
