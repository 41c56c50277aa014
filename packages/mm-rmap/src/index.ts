/** @balancenuma/mm-rmap — placeholder until implemented. */
import type { RmapOps } from "@balancenuma/include-linux";
export function createRmapOps(): RmapOps {
  throw new Error("mm-rmap: not implemented yet");
}
