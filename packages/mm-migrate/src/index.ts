/** @balancenuma/mm-migrate — placeholder until implemented. */
import type { MigrateOps } from "@balancenuma/include-linux";
export function createMigrateOps(): MigrateOps {
  throw new Error("mm-migrate: not implemented yet");
}
