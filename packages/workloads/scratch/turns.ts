import { runWorkload, parseWorkloadFile } from "@balancenuma/workloads";
import { vmstatEntries } from "@balancenuma/vmstat";
const rounds = 400, loops = Number(process.argv[3] ?? 10), size = process.argv[4] ?? "16M";
const ph = (x: string) => x;
const a: string[] = [], b: string[] = [];
for (let r = 0; r < rounds; r++) {
  a.push(`{ access: { region: buf, loops: ${loops} } }`, "{ barrier: true }", "{ barrier: true }");
  b.push("{ barrier: true }", `{ access: { region: buf, loops: ${loops} } }`, "{ barrier: true }");
}
const yaml = `name: turns
seconds: 30
processes:
  - name: turns
    regions:
      - { name: buf, size: ${size} }
    threads:
      - { name: a, cpus: { nodes: [0] }, phases: [${a.map(ph).join(", ")}] }
      - { name: b, cpus: { nodes: [1] }, phases: [${b.join(", ")}] }
`;
const spec = parseWorkloadFile(yaml);
const seed = Number(process.argv[2] ?? 1);
const per: number[] = [];
let last = 0, next = 1e9;
runWorkload({ spec, step: 49, thp: "never", seed, onTick: (k) => {
  if (k.time >= next) { const m = Object.fromEntries(vmstatEntries(k.vm, k.features)).numa_pages_migrated ?? 0; per.push(m - last); last = m; next += 1e9; }
} });
console.log(seed, per.join(" "));
