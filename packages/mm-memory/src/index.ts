/** @balancenuma/mm-memory — placeholder until implemented. */
import type { MemoryOps } from "@balancenuma/include-linux";
export function createMemoryOps(): MemoryOps {
  throw new Error("mm-memory: not implemented yet");
}
