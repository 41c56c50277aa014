import type { Topology } from "@balancenuma/machine";
import type { Features, HugeMemoryOps, MemoryOps, MempolicyOps, MigrateOps, MprotectOps, RmapOps, SchedOps } from "@balancenuma/include-linux";

/**
 * The subsystems a kernel is assembled from (packages/mm-* and sched-fair), as factories: the
 * kernel package owns the machine, the context and the event loop, and is given its mm and
 * scheduler code at boot. `@balancenuma/series` assembles the whole kernel at a step of the series;
 * tests replace the ones they stub or spy on (series/test/testbed.ts).
 */
export interface Subsystems {
  memory(): MemoryOps;
  hugeMemory(): HugeMemoryOps;
  rmap(): RmapOps;
  migrate(): MigrateOps;
  mempolicy(): MempolicyOps;
  mprotect(): MprotectOps;
  sched(topology: Topology, features: Readonly<Features>): SchedOps;
}

export type SubsystemName = keyof Subsystems;

/** What a subsystem package to give the kernel for each name (for the error message). */
const PACKAGE: Record<SubsystemName, string> = {
  memory: "@balancenuma/mm-memory createMemoryOps",
  hugeMemory: "@balancenuma/mm-huge-memory createHugeMemoryOps",
  rmap: "@balancenuma/mm-rmap createRmapOps",
  migrate: "@balancenuma/mm-migrate createMigrateOps",
  mempolicy: "@balancenuma/mm-mempolicy createMempolicyOps",
  mprotect: "@balancenuma/mm-mprotect createMprotectOps",
  sched: "@balancenuma/sched-fair createSchedOps",
};

/**
 * The stand-in for a subsystem a kernel was not given: any use of it throws, naming the call and
 * the factory to give instead.
 */
// T is the ops interface the stand-in takes the place of, named by the caller.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function missingSubsystem<T extends object>(name: SubsystemName): T {
  return new Proxy({} as T, {
    get(_, prop) {
      if (typeof prop === "symbol" || prop === "then") return undefined;
      throw new Error(`this kernel has no ${name} subsystem (k.${name}.${prop} was used): boot it with subsystems: { ${name}: ${PACKAGE[name]} }`);
    },
    set(_, prop) {
      throw new Error(`this kernel has no ${name} subsystem (k.${name}.${String(prop)} was set): boot it with subsystems: { ${name}: ${PACKAGE[name]} }`);
    },
  });
}
