/**
 * The per-node files of sysfs as Linux 3.7/3.8 prints them: /sys/devices/system/node/nodeN/meminfo
 * (drivers/base/node.c, node_read_meminfo) and /sys/devices/system/node/nodeN/numastat
 * (node_read_numastat), from the per-node counters the model keeps.
 */
import type { VmCounters } from "@balancenuma/include-linux";
import * as I from "./items.js";

const HPAGE_PMD_NR = 512;
const kB = (pages: number) => pages * 4;

/**
 * nodeN/meminfo: "Node N Field: value kB" lines in 3.7's order, for an x86-64 kernel with THP and
 * without HIGHMEM. The model keeps no LRU lists, page cache, slab or hugetlbfs pool, so those lines
 * read 0, as /proc/vmstat's nr_active_anon and the like do; AnonPages counts a transparent huge
 * page as its 512 small ones and AnonHugePages has the huge pages alone, as 3.7 prints them.
 */
export function renderNodeMeminfo(vm: VmCounters, nid: number, totalPages: number): string {
  const s = vm.nodeStat[nid];
  const free = s[I.NR_FREE_PAGES];
  const thp = s[I.NR_ANON_TRANSPARENT_HUGEPAGES];
  const kbLines: [string, number][] = [
    ["MemTotal", kB(totalPages)],
    ["MemFree", kB(free)],
    ["MemUsed", kB(totalPages - free)],
    ["Active", kB(s[I.NR_ACTIVE_ANON])],
    ["Inactive", kB(s[I.NR_INACTIVE_ANON])],
    ["Active(anon)", kB(s[I.NR_ACTIVE_ANON])],
    ["Inactive(anon)", kB(s[I.NR_INACTIVE_ANON])],
    ["Active(file)", 0],
    ["Inactive(file)", 0],
    ["Unevictable", 0],
    ["Mlocked", 0],
    ["Dirty", 0],
    ["Writeback", 0],
    ["FilePages", 0],
    ["Mapped", 0],
    ["AnonPages", kB(s[I.NR_ANON_PAGES] + thp * HPAGE_PMD_NR)],
    ["Shmem", 0],
    ["KernelStack", 0],
    ["PageTables", kB(s[I.NR_PAGETABLE])],
    ["NFS_Unstable", 0],
    ["Bounce", 0],
    ["WritebackTmp", 0],
    ["Slab", 0],
    ["SReclaimable", 0],
    ["SUnreclaim", 0],
    ["AnonHugePages", kB(thp * HPAGE_PMD_NR)],
  ];
  const lines = kbLines.map(([name, v]) => `Node ${nid} ${`${name}:`.padEnd(15)} ${String(v).padStart(8)} kB`);
  for (const name of ["HugePages_Total", "HugePages_Free", "HugePages_Surp"]) lines.push(`Node ${nid} ${`${name}:`.padEnd(17)}${String(0).padStart(5)}`);
  return lines.join("\n") + "\n";
}

/** nodeN/numastat: the node's allocation counters, in pages, one "name value" line each. */
export function renderNodeNumastat(vm: VmCounters, nid: number): string {
  const s = vm.nodeStat[nid];
  const lines: [string, number][] = [
    ["numa_hit", s[I.NUMA_HIT]],
    ["numa_miss", s[I.NUMA_MISS]],
    ["numa_foreign", s[I.NUMA_FOREIGN]],
    ["interleave_hit", s[I.NUMA_INTERLEAVE_HIT]],
    ["local_node", s[I.NUMA_LOCAL]],
    ["other_node", s[I.NUMA_OTHER]],
  ];
  return lines.map(([n, v]) => `${n} ${v}`).join("\n") + "\n";
}
