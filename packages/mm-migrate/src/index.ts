/** @balancenuma/mm-migrate — migrate_pages core, move_pages and migrate_pages syscalls, the mm_migrate_pages trace event, NUMA misplaced-page migration. */
import type { MigrateOps } from "@balancenuma/include-linux";
import { isolateLruPage, migratePages, putbackLruPage, putbackLruPages } from "./migrate.js";
import { MisplacedState, migrateMisplacedPage, migrateMisplacedTranshugePage, migrateRatelimited } from "./misplaced.js";
import { sysMovePages } from "./syscalls.js";

export {
  migrateReasonString,
  mmMigratePagesText,
  isolateLruPage,
  putbackLruPage,
  putbackLruPages,
  migratePages,
  migratePagesHooked,
  migratePageCopy,
  unmapAndMove,
  type MigrateResultHook,
} from "./migrate.js";
export {
  MIGRATE_INTERVAL_MILLISECS,
  PTEUPDATE_INTERVAL_MILLISECS,
  RATELIMIT_PAGES,
  MisplacedState,
  migrateMisplacedPage,
  migrateMisplacedTranshugePage,
  migrateRatelimited,
  migrateBalancedPgdat,
  numamigrateIsolatePage,
  numamigrateUpdateRatelimit,
  allocMisplacedDstPage,
  type NumabalancingMigrate,
} from "./misplaced.js";
export { sysMovePages, MOVE_PAGES_CHUNK, DO_PAGES_STAT_CHUNK_NR } from "./syscalls.js";

/** The migration operations of one kernel instance, with its NUMA balancing state (pgdat fields, test hook). */
export interface MigrateOpsImpl extends MigrateOps {
  readonly misplaced: MisplacedState;
}

/** mm/migrate.c: the migration operations of one kernel instance. */
export function createMigrateOps(): MigrateOpsImpl {
  const misplaced = new MisplacedState();
  return {
    misplaced,
    isolateLruPage,
    putbackLruPage,
    putbackLruPages,
    migratePages,
    sysMovePages,
    migrateMisplacedPage: (k, pfn, node) => migrateMisplacedPage(k, misplaced, pfn, node),
    migrateMisplacedTranshugePage: (k, mm, vma, pmdIdx, addr, pfn, node) => migrateMisplacedTranshugePage(k, misplaced, mm, vma, pmdIdx, addr, pfn, node),
    migrateRatelimited: (k, node) => migrateRatelimited(k, misplaced, node),
  };
}
