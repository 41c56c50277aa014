/**
 * Where system time goes, split by kernel path as `perf report` would split a kernel profile. Every
 * ns the kernel charges to a task (Kernel.charge) counts for exactly one path, so the paths add up to
 * the system time. Some work is a path by what it is (a page copy during migration, a TLB-shootdown
 * IPI, a wait for a lock, the buddy allocator, clearing a new page, scheduler bookkeeping): its
 * charge names the path. The rest counts for the path the CPU is in, `Kernel.sysPath`, which the
 * kernel's entry points set: a NUMA hinting fault, another page fault, the scanner, a migration,
 * a system call. The index of each path below is its constant's value.
 */
export interface SysPath {
  /** The metric's suffix: `sys_<name>`. */
  readonly name: string;
  /** What it holds, for the profile table. */
  readonly what: string;
}

export const SYS_HINTING_FAULTS = 0;
export const SYS_SCANNER = 1;
export const SYS_MIGRATION = 2;
export const SYS_MIGRATION_COPY = 3;
export const SYS_TLB_IPI = 4;
export const SYS_TLB_FLUSH = 5;
export const SYS_LOCK_ANON_VMA = 6;
export const SYS_LOCK_PAGE_TABLE = 7;
export const SYS_LOCK_MMAP_SEM = 8;
export const SYS_LOCK_OTHER = 9;
export const SYS_PAGE_ALLOC = 10;
export const SYS_PAGE_CLEAR = 11;
export const SYS_FAULTS = 12;
export const SYS_SYSCALLS = 13;
export const SYS_SCHED = 14;
export const SYS_OTHER = 15;

export const SYS_PATHS: readonly SysPath[] = [
  { name: "hinting_faults", what: "NUMA hinting faults: fault entry, do_numa_page, do_pmd_numa_page, do_huge_pmd_numa_page" },
  { name: "scanner", what: "the NUMA scanner: task_numa_work marking ptes (change_prot_numa)" },
  { name: "migration", what: "migrating pages, the copy left out: rate limit, isolation, unmap, rmap walks, remap" },
  { name: "migration_copy", what: "copying pages during migration (migrate_page_copy, copy_huge_page)" },
  { name: "tlb_ipi", what: "TLB-shootdown IPIs: sending them and handling them on the other CPUs" },
  { name: "tlb_flush", what: "local TLB flushes (invlpg, full flushes)" },
  { name: "lock_anon_vma", what: "waiting for an anon_vma lock" },
  { name: "lock_page_table", what: "waiting for a page_table_lock" },
  { name: "lock_mmap_sem", what: "waiting for an mmap_sem" },
  { name: "lock_other", what: "waiting for other locks (numabalancing_migrate_lock)" },
  { name: "page_alloc", what: "allocating and freeing pages (the buddy allocator)" },
  { name: "page_clear", what: "clearing new pages (clear_page, clear_huge_page)" },
  { name: "faults", what: "other page faults: first touch, copy-on-write, access-flag updates" },
  { name: "syscalls", what: "system calls (mmap, mprotect, mbind, move_pages, ...), entry and work" },
  { name: "sched", what: "the scheduler: ticks, context switches, moving tasks between CPUs" },
  { name: "other", what: "everything else (fork, exit)" },
];

export const SYS_PATH_COUNT = SYS_PATHS.length;

/** The path a wait for lock `name` counts for (the kernel names its locks after the kernel's). */
export function lockWaitPath(name: string): number {
  if (name.startsWith("anon_vma")) return SYS_LOCK_ANON_VMA;
  if (name.endsWith("page_table_lock")) return SYS_LOCK_PAGE_TABLE;
  if (name.endsWith("mmap_sem")) return SYS_LOCK_MMAP_SEM;
  return SYS_LOCK_OTHER;
}

/** Run `body` in kernel path `path` (an entry point: a system call, the scanner, a migration), then put the old path back. */
export function inSysPath<T>(k: { sysPath: number }, path: number, body: () => T): T {
  const outer = k.sysPath;
  k.sysPath = path;
  const r = body();
  k.sysPath = outer;
  return r;
}
