/**
 * The yardstick every touches/s figure is divided by: a bare typed-array loop doing, per 4 KiB page
 * touch, what a touch minimally is (one write: the pte's accessed/dirty bits; one node comparison:
 * local or remote). Measured in the same process and sitting as the figures, so ratios taken on
 * busy and quiet machines compare.
 */
import { performance } from "node:perf_hooks";

const PAGES = 16384; // 64 MiB of 4 KiB pages
const FRAMES = 1 << 20; // 4 GiB of page frames

/** Page touches per wall second of the bare loop, the best of `rounds` rounds of about `ms` each. */
export function bareLoopTouchesPerSecond(rounds = 5, ms = 100): number {
  const pte = new Uint16Array(PAGES);
  const pfn = new Int32Array(PAGES);
  const nid = new Uint8Array(FRAMES);
  for (let i = 0; i < PAGES; i++) pfn[i] = (i * 7919) % FRAMES;
  for (let f = FRAMES / 2; f < FRAMES; f++) nid[f] = 1;
  const pass = (node: number): number => {
    let local = 0;
    for (let i = 0; i < PAGES; i++) {
      pte[i] |= 0x60;
      if (nid[pfn[i]] === node) local++;
    }
    return local;
  };
  let sink = 0;
  for (let i = 0; i < 200; i++) sink += pass(i & 1);
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let touches = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms) {
      sink += pass(r & 1);
      touches += PAGES;
      t = performance.now();
    }
    best = Math.max(best, (touches / (t - t0)) * 1000);
  }
  if (sink < 0) throw new Error("unreachable");
  return best;
}
