/** Step 37: page->_last_nid exists; it is -1 at boot and after every free. */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import { GFP_HIGHUSER_MOVABLE, LAST_NID_NONE, pageLastNid, pageXchgLastNid } from "@balancenuma/include-linux";

function lastNidOfFreshPages(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", debug: true });
  const pfn = k.pageAlloc.allocPages(k, GFP_HIGHUSER_MOVABLE, 0, 1, null);
  const atBoot = pageLastNid(k, pfn);
  pageXchgLastNid(k, pfn, 0);
  const afterWrite = pageLastNid(k, pfn);
  k.pageAlloc.freePages(k, pfn, 0);
  return { atBoot, afterWrite, afterFree: pageLastNid(k, pfn) };
}

describe("step 37: last-nid", () => {
  it("before 37 page_last_nid is page_to_nid; from 37 the field starts -1, keeps what is written and is reset on free", () => {
    expect(lastNidOfFreshPages(36)).toEqual({ atBoot: 1, afterWrite: 1, afterFree: 1 });
    expect(lastNidOfFreshPages(37)).toEqual({ atBoot: LAST_NID_NONE, afterWrite: 0, afterFree: LAST_NID_NONE });
  });
});
