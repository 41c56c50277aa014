/**
 * include/linux/migrate.h: enum migrate_reason (step 10 on). The constants are the Linux 3.8
 * values; before step 20 the enum has no MR_NUMA_MISPLACED and MR_CMA is 5 (see mrCma).
 */
export const MR_COMPACTION = 0;
export const MR_MEMORY_FAILURE = 1;
export const MR_MEMORY_HOTPLUG = 2;
/** migrate_pages(2), move_pages(2) and cpusets. */
export const MR_SYSCALL = 3;
export const MR_MEMPOLICY_MBIND = 4;
/** Added by "mm: migrate: Introduce migrate_misplaced_page()" (step 20) before MR_CMA (which moves 5 -> 6). */
export const MR_NUMA_MISPLACED = 5;
export const MR_CMA = 6;

/** MR_CMA of a kernel whose enum has MR_NUMA_MISPLACED (step 20 on) or not. */
export const mrCma = (hasNumaMisplaced: boolean): number => (hasNumaMisplaced ? MR_CMA : MR_CMA - 1);
