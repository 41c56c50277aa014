import { HPAGE_SIZE } from "./constants.js";

/** include/linux/hugetlb.h: HPAGE_ALIGN: addr rounded up to a 2 MiB boundary (user addresses exceed 32 bits). */
export const hpageAlign = (addr: number): number => Math.ceil(addr / HPAGE_SIZE) * HPAGE_SIZE;

/** addr & HPAGE_PMD_MASK: the start of the 2 MiB region holding addr (the `haddr` of the THP code). */
export const hpageAlignDown = (addr: number): number => Math.floor(addr / HPAGE_SIZE) * HPAGE_SIZE;
