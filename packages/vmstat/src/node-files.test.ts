import { describe, expect, it } from "vitest";
import { NR_ANON_PAGES, NR_ANON_TRANSPARENT_HUGEPAGES, NR_FREE_PAGES, NUMA_HIT, NUMA_OTHER } from "./items.js";
import { newVmCounters } from "./count.js";
import { renderNodeMeminfo, renderNodeNumastat } from "./node-files.js";

describe("per-node sysfs files", () => {
  const vm = newVmCounters(2);
  vm.nodeStat[1][NR_FREE_PAGES] = 1000;
  vm.nodeStat[1][NR_ANON_PAGES] = 10;
  vm.nodeStat[1][NR_ANON_TRANSPARENT_HUGEPAGES] = 2;
  vm.nodeStat[1][NUMA_HIT] = 7;
  vm.nodeStat[1][NUMA_OTHER] = 3;

  it("meminfo: 3.7's fields in order, kB, a huge page counted in AnonPages as 512 pages and alone in AnonHugePages", () => {
    const lines = renderNodeMeminfo(vm, 1, 4096).split("\n");
    expect(lines.slice(0, 3)).toEqual(["Node 1 MemTotal:          16384 kB", "Node 1 MemFree:            4000 kB", "Node 1 MemUsed:           12384 kB"]);
    expect(lines).toContain(`Node 1 AnonPages:          ${(10 + 2 * 512) * 4} kB`);
    expect(lines).toContain("Node 1 AnonHugePages:      4096 kB");
    expect(lines.map((l) => l.split(":")[0].slice(7))).toEqual([
      "MemTotal",
      "MemFree",
      "MemUsed",
      "Active",
      "Inactive",
      "Active(anon)",
      "Inactive(anon)",
      "Active(file)",
      "Inactive(file)",
      "Unevictable",
      "Mlocked",
      "Dirty",
      "Writeback",
      "FilePages",
      "Mapped",
      "AnonPages",
      "Shmem",
      "KernelStack",
      "PageTables",
      "NFS_Unstable",
      "Bounce",
      "WritebackTmp",
      "Slab",
      "SReclaimable",
      "SUnreclaim",
      "AnonHugePages",
      "HugePages_Total",
      "HugePages_Free",
      "HugePages_Surp",
      "",
    ]);
    expect(lines.at(-2)).toBe("Node 1 HugePages_Surp:      0");
  });

  it("numastat: the node's allocation counters in pages", () => {
    expect(renderNodeNumastat(vm, 1)).toBe("numa_hit 7\nnuma_miss 0\nnuma_foreign 0\ninterleave_hit 0\nlocal_node 0\nother_node 3\n");
  });
});
