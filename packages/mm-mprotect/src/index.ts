/** @balancenuma/mm-mprotect — placeholder until implemented. */
import type { MprotectOps } from "@balancenuma/include-linux";
export function createMprotectOps(): MprotectOps {
  throw new Error("mm-mprotect: not implemented yet");
}
