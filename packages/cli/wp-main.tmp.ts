import { Worker, MessageChannel, receiveMessageOnPort } from "node:worker_threads";
const signal = new Int32Array(new SharedArrayBuffer(4));
const t0 = Date.now();
const ws = [0, 1].map(() => {
  const { port1, port2 } = new MessageChannel();
  const w = new Worker(new URL("./wp-w.tmp.ts", import.meta.url), { workerData: { port: port2, signal }, transferList: [port2], execArgv: ["--conditions=source", "--import", "tsx"] });
  return { w, port: port1 };
});
let todo = [1, 2, 3, 4], done = 0, seen = 0;
for (const x of ws) x.port.postMessage({ step: todo.shift() });
while (done < 4) {
  Atomics.wait(signal, 0, seen, 1000);
  seen = Atomics.load(signal, 0);
  for (const x of ws) {
    let m;
    while ((m = receiveMessageOnPort(x.port))) { done++; console.log(Date.now() - t0, m.message); const n = todo.shift(); if (n !== undefined) x.port.postMessage({ step: n }); }
  }
}
for (const x of ws) void x.w.terminate();
