/**
 * Throughput of the user access path on present pages (the simulator's hot loop).
 * Run: node --conditions=@balancenuma/source --import tsx packages/cli/bench/touch.ts
 */
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM } from "@balancenuma/include-linux";
import { bootAtStep } from "@balancenuma/series";

const k = bootAtStep({ topology: "nodes=2,cpus=2,mem=512M", thp: "never" });
const t = k.createProcess({ cpusAllowed: 1n });
k.userApi(t);
const pages = 16384; // 64 MiB
const a = k.memory.mmap(k, t.mm!, 0, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
k.memory.userTouch(k, t, a, pages, PAGE_SIZE, 64, true, TOUCH_STREAM, Infinity);
const addrs = new Float64Array(pages);
for (let i = 0; i < pages; i++) addrs[i] = a + ((i * 7919) % pages) * PAGE_SIZE;

function measure(name: string, f: () => number): void {
  for (let i = 0; i < 20; i++) f(); // warm up
  let n = 0;
  const t0 = process.hrtime.bigint();
  while (process.hrtime.bigint() - t0 < 1_000_000_000n) n += f();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${name}: ${(n / s / 1e6).toFixed(1)} M touches/s`);
}
measure("userTouch (stride 4K, write)", () => k.memory.userTouch(k, t, a, pages, PAGE_SIZE, 64, true, TOUCH_STREAM, Infinity));
measure("userTouch (stride 64B, read)", () => k.memory.userTouch(k, t, a, pages, 64, 64, false, TOUCH_STREAM, Infinity));
measure("userTouchList (scattered, write)", () => k.memory.userTouchList(k, t, addrs, 0, pages, 64, true, TOUCH_STREAM, Infinity));
