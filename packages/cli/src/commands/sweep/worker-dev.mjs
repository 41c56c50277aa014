// Development entry of the sweep worker: the CLI runs from TypeScript sources (tsx), and a worker
// does not inherit tsx's loader on Node 20 (`execArgv: ["--import", "tsx"]` leaves the worker's
// entry unloadable), so register tsx here and then load worker.ts. Built CLIs load worker.js.
import { parentPort } from "node:worker_threads";

try {
  const { register } = await import("tsx/esm/api");
  register();
  await import(import.meta.resolve("./worker.ts"));
} catch (e) {
  // Every job sent to this worker is answered with the reason, so the sweep ends with it.
  const error = `the sweep worker could not start: ${e instanceof Error ? e.message : String(e)}`;
  parentPort.on("message", ({ cell }) => parentPort.postMessage({ cell, error, usage: false }));
}
