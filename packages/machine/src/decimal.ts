/**
 * Numbers typed by a user (flags, --topology, workload options) are plain decimals: `Number()`
 * alone would also take "0x10", "1e3", "Infinity" and " " (as 0).
 */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The value of a plain decimal ("16", "0.5", "-3"); NaN for anything else. */
export function parseDecimal(text: string | undefined): number {
  return text !== undefined && DECIMAL.test(text) ? Number(text) : NaN;
}
