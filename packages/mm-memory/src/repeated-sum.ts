/**
 * Exact repeated addition: the double that `n` sequential `x = x + c` give, in time proportional to
 * the powers of two crossed, not to `n`. The bulk touch path charges a run of identical touches
 * with it and gets the very bits the per-touch loop gets.
 * Doubles go in and out of the hot path's functions through a record (a Float64Array): a double
 * passed to or returned from a call that V8 does not inline is boxed on the heap.
 *
 * Why it works: within one binade [2^e, 2^(e+1)) doubles lie on a grid of spacing u = 2^(e-52).
 * Adding c to a grid point x rounds x + c to the grid, so the step is c rounded to a multiple of u,
 * the same for every x in the binade (a tie, c exactly halfway between grid points, rounds to the
 * even neighbour: after one such step x is even and every later step is the same again). So, once
 * two plain steps have shown the step d, each step is exactly +d while x + d stays below 2^(e+1),
 * and j such steps give x + j*d exactly (j*d is a multiple of u below 2^(e+1), so it is exact too).
 * Crossing into the next binade is done with plain steps.
 *
 * Both functions expect x >= 0 and c > 0, finite (times and costs).
 */

/** A double's bits: y's exponent field is read and the next power of two built in place. */
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** The word holding sign, exponent and the top of the mantissa (the second on little-endian hosts). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The smallest power of two greater than y (y > 0, normal, finite): 2^(e+1) for y in [2^e, 2^(e+1)). */
function binadeTop(y: number): number {
  bits[0] = y;
  words[HI] = (words[HI] & 0x7ff00000) + 0x00100000;
  words[1 - HI] = 0;
  return bits[0];
}

/** The number j <= most of steps +d from z that stay below top: the largest j with j*d < top - z. */
function stepsBelow(z: number, d: number, top: number, most: number): number {
  const room = top - z; // exact: both on the grid, z >= top/2
  let j = Math.min(most, Math.max(0, Math.ceil(room / d) - 1));
  while (j > 0 && j * d >= room) j--;
  while (j < most && (j + 1) * d < room) j++;
  return j;
}

/** x after n sequential `x = x + c`. */
export function addRepeated(x: number, c: number, n: number): number {
  while (n > 0) {
    // Three plain steps: the first may come from the binade below, the second may be a tie's odd
    // one; the third is this binade's step for good.
    const y = x + c;
    if (--n === 0) return y;
    const z = y + c;
    if (--n === 0) return z;
    const w = z + c;
    n--;
    const top = binadeTop(y);
    if (w >= top || n === 0) {
      x = w;
      continue;
    }
    const d = w - z; // exact: both in y's binade
    const j = stepsBelow(w, d, top, n);
    x = w + j * d;
    n -= j;
  }
  return x;
}

/** Slots of the record chargeRepeated works on. */
export const RUN_CLOCK = 0;
export const RUN_START = 1;
export const RUN_BUDGET = 2;
export const RUN_COST = 3;

/**
 * The per-touch loop's clock over at most n touches costing r[RUN_COST] each: before each touch it
 * checks `clock - r[RUN_START] < r[RUN_BUDGET]` and stops at the first failed check, else adds the
 * cost. Leaves r[RUN_CLOCK] where that loop leaves the clock and returns the touches done.
 */
export function advanceWithinBudget(r: Float64Array, n: number): number {
  const c = r[RUN_COST];
  const start = r[RUN_START];
  const budget = r[RUN_BUDGET];
  let x = r[RUN_CLOCK];
  let i = 0;
  while (i < n) {
    if (x - start >= budget) break;
    const y = x + c;
    if (++i === n || y - start >= budget) {
      x = y;
      break;
    }
    const z = y + c;
    if (++i === n || z - start >= budget) {
      x = z;
      break;
    }
    const w = z + c;
    i++;
    const top = binadeTop(y);
    if (w >= top || i === n) {
      x = w;
      continue;
    }
    const d = w - z;
    const j = stepsBelow(w, d, top, n - i);
    if (j > 0 && w + (j - 1) * d - start >= budget) {
      // One of the checks at w, w + d, ..., w + (j-1)d fails: find the first (the check is monotone
      // in x) from an estimate, stepping to it with the exact checks.
      let m = Math.min(j - 1, Math.max(0, Math.ceil((budget - (w - start)) / d)));
      while (m > 0 && w + (m - 1) * d - start >= budget) m--;
      while (w + m * d - start < budget) m++;
      x = w + m * d;
      i += m;
      break;
    }
    x = w + j * d;
    i += j;
  }
  r[RUN_CLOCK] = x;
  return i;
}

/**
 * A run of at most n equal touches: the clock as advanceWithinBudget moves it, and the same cost
 * added to busy[idx] once per touch done. Returns the touches done.
 */
export function chargeRepeated(r: Float64Array, busy: Float64Array, idx: number, n: number): number {
  const done = advanceWithinBudget(r, n);
  busy[idx] = addRepeated(busy[idx], r[RUN_COST], done);
  return done;
}
