import { runWorkload, metricValue } from "@balancenuma/workloads";
const [w, topo, secs, thp, ...steps] = process.argv.slice(2);
for (const s of steps) {
  const t = Date.now();
  const { report } = runWorkload({ workload: w, topology: topo, seconds: Number(secs), step: Number(s), seed: 1, args: (process.env.WARGS ?? "").split(" ").filter(Boolean), thp: thp as any });
  console.log(s, "migrated", metricValue(report, "numa_pages_migrated"), "faults", metricValue(report, "numa_hint_faults"), "pte", metricValue(report,"numa_pte_updates"), "local%", metricValue(report,"local_percent"), "sys", report.systemSeconds, `${Date.now()-t}ms`);
}
