/** @balancenuma/mm-page-alloc — placeholder until implemented. */
import type { PageAllocOps, PageFrames } from "@balancenuma/include-linux";
import type { Topology } from "@balancenuma/machine";
export function createPageAllocOps(_topology: Topology, _pages: PageFrames): PageAllocOps {
  throw new Error("mm-page-alloc: not implemented yet");
}
