import { runWorkload } from "@balancenuma/workloads";
const [w, step, reps, ...qs] = process.argv.slice(2);
for (const q of qs) {
  let best = Infinity;
  for (let i = 0; i < Number(reps); i++) {
    const t0 = process.cpuUsage().user;
    runWorkload({ workload: w, step: Number(step), quantumNs: Number(q), seconds: 10 });
    best = Math.min(best, (process.cpuUsage().user - t0) / 1e6);
  }
  console.log(q, best.toFixed(2), "s cpu (min)");
}
