import { bootKernel } from "@balancenuma/kernel";
const k = bootKernel({ seed: Number(process.argv[2] ?? 1) });
const ts = Array.from({ length: 12 }, (_, i) => k.createProcess({ comm: `spin${i}`, program: { run: (u) => { u.compute(u.budgetLeft()); return 0; } } }));
const line = () => ts.map((t) => t.cpu).join(",");
for (let i = 0; i < 60; i++) { k.runFor(4e6); if (i % 1 === 0) console.log((k.time/1e6).toFixed(0), line(), ts.map(t=>t.se.nrMigrations).join(",")); }
