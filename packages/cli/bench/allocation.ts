/**
 * Host allocation on the touch path: the heap's growth over many `userTouch` calls on present pages
 * (a 64 MiB sweep on a small machine at step 49), per call, for two numbers of touches per call. If
 * anything were allocated per touch, the call with four times the touches would grow the heap by
 * about four times as much.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, TOUCH_STREAM } from "@balancenuma/include-linux";
import { bootAtStep } from "@balancenuma/series";

const PAGES = 16384;
const CALLS = 500;

/** The collector, to start each measurement on a clean young generation (the usual --expose-gc trick). */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Heap bytes allocated per userTouch call of `touches` 4 KiB-stride writes (touches <= 16384). */
export function heapBytesPerTouchCall(touches: readonly number[] = [4096, 16384]): { touches: number; bytesPerCall: number }[] {
  const k = bootAtStep({ topology: "nodes=2,cpus=2,mem=512M", thp: "never", step: 49 });
  const t = k.createProcess({ cpusAllowed: 1n });
  k.userApi(t);
  const a = k.memory.mmap(k, t.mm!, 0, PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const sweep = (n: number) => k.memory.userTouch(k, t, a, n, PAGE_SIZE, 64, true, TOUCH_STREAM, Infinity);
  for (let i = 0; i < 200; i++) for (const n of touches) sweep(n); // fault in, compile, settle
  const gc = collector();
  // A collection inside a window only lowers its growth: the largest of three is the allocation.
  const grown = (n: number) => {
    gc();
    const h0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < CALLS; i++) sweep(n);
    return process.memoryUsage().heapUsed - h0;
  };
  return touches.map((n) => ({ touches: n, bytesPerCall: Math.round(Math.max(grown(n), grown(n), grown(n)) / CALLS) }));
}
