/** @balancenuma/arch-x86-pgtable — placeholder until implemented. */
import type { TlbOps } from "@balancenuma/include-linux";
export function createTlbOps(): TlbOps {
  throw new Error("arch-x86-pgtable: not implemented yet");
}
