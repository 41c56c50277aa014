/** @balancenuma/mm-huge-memory — placeholder until implemented. */
import type { HugeMemoryOps } from "@balancenuma/include-linux";
export function createHugeMemoryOps(): HugeMemoryOps {
  throw new Error("mm-huge-memory: not implemented yet");
}
