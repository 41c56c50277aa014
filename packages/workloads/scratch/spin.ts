import { bootKernel } from "@balancenuma/kernel";
const k = bootKernel({ seed: Number(process.argv[2] ?? 1) });
const ts = Array.from({ length: 12 }, (_, i) => k.createProcess({ comm: `spin${i}`, program: { run: (u) => { u.compute(u.budgetLeft()); return 0; } } }));
k.runFor(10e9);
console.log(ts.map((t) => ((t.utimeNs + t.stimeNs) / 10e9 * 1000).toFixed(0)).join(" "), "ms/s");
