/**
 * The x86-64 system-call ABI as the model sees it: a syscall argument is a 64-bit register, and
 * the kernel reads it as the C type of the parameter (SYSCALL_DEFINEn). A JS caller may pass
 * anything, so every entry point converts its arguments here first:
 * - an integer (number or bigint) in [-2^63, 2^64) is a register value; `int`/`unsigned` parameters
 *   keep its low 32 bits (as 3.7 does on x86-64), `long`/`unsigned long` all 64;
 * - anything else (NaN, a fraction, Infinity, a string, an object, a wider bigint) is a value no
 *   register can hold: the conversion gives null and the entry answers -EINVAL.
 * Unsigned longs come back as JS numbers; above 2^53 they lose low bits, which only matters for
 * values that are invalid anyway (past TASK_SIZE, or with unknown flag bits: see `bitsOutside`).
 */

const TWO_32 = 2 ** 32;
const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;

/** The register value of `x` as an unsigned 64-bit number, or null when no register holds `x`. */
export function ulongArg(x: unknown): number | null {
  if (typeof x === "number") {
    if (!Number.isInteger(x) || x < -TWO_63 || x >= TWO_64) return null;
    return x < 0 ? x + TWO_64 : x;
  }
  if (typeof x === "bigint") {
    if (x < -(1n << 63n) || x >= 1n << 64n) return null;
    return Number(BigInt.asUintN(64, x));
  }
  return null;
}

/** A `long` parameter: the register as a signed 64-bit number, or null. */
export function longArg(x: unknown): number | null {
  const u = ulongArg(x);
  if (u === null) return null;
  // From the argument itself: a small negative number's unsigned form (2^64 - n) is not exact.
  if (typeof x === "bigint") return Number(BigInt.asIntN(64, x));
  return (x as number) >= TWO_63 ? (x as number) - TWO_64 : (x as number);
}

/** An `unsigned int` parameter: the low 32 bits of the register, or null. */
export function uintArg(x: unknown): number | null {
  if (ulongArg(x) === null) return null;
  // From the argument itself: a negative number's unsigned 64-bit form is not exact above 2^53.
  return typeof x === "bigint" ? Number(BigInt.asUintN(32, x)) : (((x as number) % TWO_32) + TWO_32) % TWO_32;
}

/** An `int` parameter (and pid_t): the low 32 bits of the register, signed, or null. */
export function intArg(x: unknown): number | null {
  const u = uintArg(x);
  if (u === null) return null;
  return u >= 2 ** 31 ? u - TWO_32 : u;
}

/**
 * Whether an unsigned long flag word has any bit set outside `known` (which lies in the low 32
 * bits). JS bit operators see only the low 32 bits, so a word with higher bits set would otherwise
 * pass a `flags & ~known` test.
 */
export function bitsOutside(flags: number, known: number): boolean {
  return flags >= TWO_32 || flags < 0 || (flags & ~known) !== 0;
}

/** The low 32 bits of an unsigned long flag word (a non-negative integer), for the bits that live there. */
export const low32 = (flags: number): number => flags % TWO_32;
