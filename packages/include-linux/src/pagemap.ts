/** include/linux/pagemap.h: the page lock. */
import type { Kernel } from "./kernel.js";
import { PG_locked } from "./page.js";

/**
 * include/linux/pagemap.h: lock_page, in a model where no page lock is held across a time slice:
 * PG_locked is set for the duration of the holder's call; finding it set costs a sleep.
 */
export function lockPage(k: Kernel, pfn: number): void {
  if (k.pages.flags[pfn] & PG_locked) k.charge(k.cost.lockSleepNs);
  k.pages.flags[pfn] |= PG_locked;
}

/** include/linux/pagemap.h: unlock_page. */
export function unlockPage(k: Kernel, pfn: number): void {
  k.pages.flags[pfn] &= ~PG_locked;
}
