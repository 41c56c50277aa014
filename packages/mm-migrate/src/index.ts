/** @balancenuma/mm-migrate — migrate_pages core, move_pages and migrate_pages syscalls, the mm_migrate_pages trace event. */
import type { MigrateOps } from "@balancenuma/include-linux";
import { isolateLruPage, migratePages, putbackLruPage } from "./migrate.js";
import { sysMigratePages, sysMovePages } from "./syscalls.js";

export {
  MR_COMPACTION,
  MR_MEMORY_FAILURE,
  MR_MEMORY_HOTPLUG,
  MR_SYSCALL,
  MR_MEMPOLICY_MBIND,
  MR_NUMA_MISPLACED,
  MR_CMA,
  migrateReasonString,
  mmMigratePagesText,
  isolateLruPage,
  putbackLruPage,
  putbackLruPages,
  migratePages,
  migratePagesHooked,
  type MigrateResultHook,
} from "./migrate.js";
export { sysMovePages, sysMigratePages, getNodes, nodeRemap, capable, MOVE_PAGES_CHUNK, DO_PAGES_STAT_CHUNK_NR } from "./syscalls.js";

/** mm/migrate.c: the migration operations of one kernel instance. */
export function createMigrateOps(): MigrateOps {
  return { isolateLruPage, putbackLruPage, migratePages, sysMovePages, sysMigratePages };
}
