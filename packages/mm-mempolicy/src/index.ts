/** @balancenuma/mm-mempolicy — placeholder until implemented. */
import type { MempolicyOps } from "@balancenuma/include-linux";
export function createMempolicyOps(): MempolicyOps {
  throw new Error("mm-mempolicy: not implemented yet");
}
