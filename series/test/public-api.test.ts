/**
 * The public surface is the kernel's names: every kernel function the model implements can be
 * imported from the package of its kernel file under its camelCase name, as a documented function.
 */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as archX86Pgtable from "@balancenuma/arch-x86-pgtable";
import * as includeLinux from "@balancenuma/include-linux";
import * as kernel from "@balancenuma/kernel";
import * as mmHugeMemory from "@balancenuma/mm-huge-memory";
import * as mmMemory from "@balancenuma/mm-memory";
import * as mmMempolicy from "@balancenuma/mm-mempolicy";
import * as mmMigrate from "@balancenuma/mm-migrate";
import * as mmMprotect from "@balancenuma/mm-mprotect";
import * as mmPageAlloc from "@balancenuma/mm-page-alloc";
import * as mmRmap from "@balancenuma/mm-rmap";
import * as schedFair from "@balancenuma/sched-fair";
import * as vmstat from "@balancenuma/vmstat";

/** The kernel functions each package models, by their C names. */
const KERNEL_FUNCTIONS: Record<string, { module: Record<string, unknown>; functions: string[] }> = {
  "arch-x86-pgtable": {
    module: archX86Pgtable,
    functions: [
      "pte_present",
      "pte_none",
      "pte_accessible",
      "pte_numa",
      "pmd_numa",
      "pte_mknuma",
      "pmd_mknuma",
      "pte_mknonnuma",
      "pmd_mknonnuma",
      "pte_modify",
      "pmd_modify",
      "pmd_trans_huge",
      "pmd_bad",
      "vm_get_page_prot",
      "is_migration_entry",
    ],
  },
  "include-linux": {
    module: includeLinux,
    functions: [
      "numa_node_id",
      "put_page",
      "page_mapcount",
      "page_mapped",
      "compound_head",
      "lock_page",
      "unlock_page",
      "page_last_nid",
      "page_xchg_last_nid",
      "mpol_equal",
      "vma_migratable",
      "node_remap",
      "capable",
      "calc_vm_prot_bits",
      "find_task_by_vpid",
      "task_numa_fault",
      "msecs_to_jiffies",
      "is_zero_pfn",
    ],
  },
  kernel: { module: kernel, functions: ["do_exit", "sys_setuid", "sys_setresuid", "sys_capset"] },
  "mm-huge-memory": {
    module: mmHugeMemory,
    functions: [
      "do_huge_pmd_anonymous_page",
      "do_huge_pmd_numa_page",
      "change_huge_pmd",
      "split_huge_page",
      "split_huge_page_pmd",
      "zap_huge_pmd",
      "mk_huge_pmd",
    ],
  },
  "mm-memory": {
    module: mmMemory,
    functions: [
      "handle_mm_fault",
      "handle_pte_fault",
      "do_anonymous_page",
      "do_wp_page",
      "do_numa_page",
      "do_pmd_numa_page",
      "numa_migrate_prep",
      "vm_normal_page",
      "follow_page",
      "zap_page_range",
      "copy_page_range",
      "free_pgtables",
      "__pte_alloc",
      "find_vma",
      "split_vma",
      "get_unmapped_area",
      "do_munmap",
      "exit_mmap",
      "madvise",
      "mm_alloc",
      "dup_mmap",
      "ptep_clear_flush",
      "do_page_fault",
    ],
  },
  "mm-mempolicy": {
    module: mmMempolicy,
    functions: [
      "mpol_misplaced",
      "change_prot_numa",
      "alloc_pages_vma",
      "alloc_page_interleave",
      "get_vma_policy",
      "get_task_policy",
      "mpol_new",
      "mpol_dup",
      "mpol_set_nodemask",
      "mpol_relative_nodemask",
      "mpol_to_str",
      "do_mbind",
      "mbind_range",
      "check_range",
      "sys_mbind",
      "sys_set_mempolicy",
      "sys_get_mempolicy",
      "sys_migrate_pages",
      "get_nodes",
      "lookup_node",
      "interleave_nid",
      "offset_il_node",
      "numa_policy_init",
      "setup_numabalancing",
      "check_numabalancing_enable",
      "mpol_rebind_task",
      "mpol_rebind_mm",
    ],
  },
  "mm-migrate": {
    module: mmMigrate,
    functions: [
      "migrate_misplaced_page",
      "migrate_misplaced_transhuge_page",
      "migrate_ratelimited",
      "migrate_balanced_pgdat",
      "numamigrate_isolate_page",
      "numamigrate_update_ratelimit",
      "alloc_misplaced_dst_page",
      "migrate_pages",
      "unmap_and_move",
      "migrate_page_copy",
      "isolate_lru_page",
      "putback_lru_page",
      "putback_lru_pages",
      "sys_move_pages",
    ],
  },
  "mm-mprotect": { module: mmMprotect, functions: ["change_protection", "change_pmd_range", "change_pte_range", "mprotect_fixup", "sys_mprotect"] },
  "mm-page-alloc": { module: mmPageAlloc, functions: ["setup_per_zone_wmarks"] },
  "mm-rmap": {
    module: mmRmap,
    functions: [
      "anon_vma_prepare",
      "anon_vma_fork",
      "unlink_anon_vmas",
      "page_add_anon_rmap",
      "page_remove_rmap",
      "page_anon_vma",
      "rmap_walk",
      "try_to_unmap",
      "remove_migration_ptes",
    ],
  },
  "sched-fair": {
    module: schedFair,
    functions: [
      "task_numa_work",
      "task_tick_numa",
      "task_numa_fault",
      "task_numa_placement",
      "reset_ptenuma_scan",
      "load_balance",
      "rebalance_domains",
      "active_load_balance",
      "select_task_rq_fair",
      "select_task_rq",
      "select_idle_sibling",
      "find_idlest_group",
      "find_idlest_cpu",
      "wake_affine",
      "pick_next_task_fair",
      "enqueue_task",
      "dequeue_task",
      "put_prev_task",
      "check_preempt_tick",
      "check_preempt_curr",
      "place_entity",
      "update_min_vruntime",
      "sched_slice",
      "sched_vslice",
      "calc_delta_fair",
      "update_cpu_load",
      "source_load",
      "target_load",
      "task_hot",
      "build_sched_domains",
      "sched_init_numa",
    ],
  },
  vmstat: { module: vmstat, functions: ["count_vm_events", "count_vm_numa_events"] },
};

/** do_huge_pmd_numa_page -> doHugePmdNumaPage; leading underscores stay (__pte_alloc -> __pteAlloc). */
const camel = (c: string): string => c.replace(/(?<=[a-z0-9])_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());

/** Every source file of a package (tests excluded). */
function sources(pkg: string): string {
  const dir = new URL(`../../packages/${pkg}/src/`, import.meta.url);
  const walk = (d: URL): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? walk(new URL(`${e.name}/`, d))
        : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
          ? [readFileSync(new URL(e.name, d), "utf8")]
          : [],
    );
  return walk(dir).join("\n");
}

describe("public API: kernel functions by their kernel names", () => {
  for (const [pkg, { module, functions }] of Object.entries(KERNEL_FUNCTIONS)) {
    it(`@balancenuma/${pkg} exports ${functions.length} kernel functions, each documented`, () => {
      const src = sources(pkg);
      for (const c of functions) {
        const name = camel(c);
        expect(typeof module[name], `${c} as ${name}`).toBe("function");
        // The definition carries a doc comment that ends on the line before it.
        const def = new RegExp(`\\*/\\n(export )?(function ${name.replace(/\$/g, "\\$")}\\(|const ${name} = )`);
        expect(def.test(src), `${name} has a doc comment`).toBe(true);
      }
    });
  }

  it("names follow the kernel's camelCase rule", () => {
    expect(camel("do_huge_pmd_numa_page")).toBe("doHugePmdNumaPage");
    expect(camel("__pte_alloc")).toBe("__pteAlloc");
    expect(camel("sys_move_pages")).toBe("sysMovePages");
  });
});
