/** @balancenuma/mm-mprotect — page protection changes (mm/mprotect.c, Linux 3.7-rc6 plus the series' gates). */
import type { MprotectOps } from "@balancenuma/include-linux";
import { changeProtection } from "./change-protection.js";
import { sysMprotect } from "./mprotect.js";

export { changeProtection, changePmdRange, changePteRange, changePmdProtnuma } from "./change-protection.js";
export { sysMprotect, mprotectFixup, archValidateProt } from "./mprotect.js";

/** The mprotect subsystem's ops for the kernel context. */
export function createMprotectOps(): MprotectOps {
  return { changeProtection, sysMprotect };
}
