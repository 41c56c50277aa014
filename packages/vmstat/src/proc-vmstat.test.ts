import { describe, it, expect } from "vitest";
import { BASELINE_FEATURES, type Features, type Kernel } from "@balancenuma/include-linux";
import { NUMA_PAGE_MIGRATE, PGMIGRATE_SUCCESS, countVmNumaEvents, newVmCounters, renderProcVmstat, vmstatEntries } from "./index.js";

const names = (f: Partial<Features>) => vmstatEntries(newVmCounters(2), { ...BASELINE_FEATURES, ...f }).map(([n]) => n);
const after = (list: string[], name: string, n: number) => list.slice(list.indexOf(name) + 1, list.indexOf(name) + 1 + n);

describe("/proc/vmstat", () => {
  it("3.7-rc6: compaction's move counters after pgrotated, no pgmigrate_* or numa_* events", () => {
    const l = names({});
    expect(after(l, "kswapd_high_wmark_hit_quickly", 4)).toEqual(["kswapd_skip_congestion_wait", "pageoutrun", "allocstall", "pgrotated"]);
    expect(after(l, "pgrotated", 4)).toEqual(["compact_blocks_moved", "compact_pages_moved", "compact_pagemigrate_failed", "compact_stall"]);
    expect(after(l, "unevictable_pgs_stranded", 2)).toEqual(["unevictable_pgs_mlockfreed", "thp_fault_alloc"]);
    expect(l[l.length - 1]).toBe("thp_split");
  });

  it("steps 09, 11 and 30 insert their items after pgrotated; numa_* only with CONFIG_NUMA_BALANCING", () => {
    const f = { migrateStats: true, compactionScanCounters: true, numaVmstat: true };
    expect(after(names(f), "pgrotated", 6)).toEqual([
      "pgmigrate_success",
      "pgmigrate_fail",
      "compact_migrate_scanned",
      "compact_free_scanned",
      "compact_isolated",
      "compact_stall",
    ]);
    expect(after(names({ ...f, CONFIG_NUMA_BALANCING: true }), "pgrotated", 6)).toEqual([
      "numa_pte_updates",
      "numa_hint_faults",
      "numa_hint_faults_local",
      "numa_pages_migrated",
      "pgmigrate_success",
      "pgmigrate_fail",
    ]);
  });

  it("renders name value lines", () => {
    const vm = newVmCounters(2);
    vm.events[PGMIGRATE_SUCCESS] = 7;
    expect(renderProcVmstat(vm, { ...BASELINE_FEATURES, migrateStats: true })).toContain("\npgmigrate_success 7\n");
  });

  it("count_vm_numa_events counts only with the step 30 items and CONFIG_NUMA_BALANCING", () => {
    for (const [f, n] of [
      [{ numaVmstat: true }, 0],
      [{ CONFIG_NUMA_BALANCING: true }, 0],
      [{ numaVmstat: true, CONFIG_NUMA_BALANCING: true }, 512],
    ] as const) {
      const k = { features: { ...BASELINE_FEATURES, ...f }, vm: newVmCounters(1) } as unknown as Kernel;
      countVmNumaEvents(k, NUMA_PAGE_MIGRATE, 512);
      expect(k.vm.events[NUMA_PAGE_MIGRATE]).toBe(n);
    }
  });
});
