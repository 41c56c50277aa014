/** @balancenuma/mm-page-alloc — per-node free memory, watermarks, zonelist fallback, GFP_THISNODE. */
import type { PageAllocOps, PageFrames } from "@balancenuma/include-linux";
import type { Topology } from "@balancenuma/machine";
import { PageAllocator } from "./page-alloc.js";

export { FIRST_ZONE_PFN, PageAllocator, buildZonelist, setupPerZoneWmarks, type Watermarks } from "./page-alloc.js";

/** mm/page_alloc.c: free_area_init_nodes: every page of every node starts free. */
export function createPageAllocOps(topology: Topology, pages: PageFrames): PageAllocOps {
  return new PageAllocator(topology, pages);
}
