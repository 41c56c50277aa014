/**
 * A whole kernel at a step of the series: the kernel core given every subsystem (packages/mm-*,
 * sched-fair) and the features of steps 1..N applied to Linux 3.7-rc6.
 */
import type { Features } from "@balancenuma/include-linux";
import { bootKernel, type BootOptions, type KernelInstance, type Subsystems } from "@balancenuma/kernel";
import { createMemoryOps } from "@balancenuma/mm-memory";
import { createHugeMemoryOps } from "@balancenuma/mm-huge-memory";
import { createRmapOps } from "@balancenuma/mm-rmap";
import { createMigrateOps } from "@balancenuma/mm-migrate";
import { createMempolicyOps } from "@balancenuma/mm-mempolicy";
import { createMprotectOps } from "@balancenuma/mm-mprotect";
import { createSchedOps } from "@balancenuma/sched-fair";
import { featuresAtStep } from "./features.js";

/** Every subsystem of the model, as the kernel core takes them. */
export const LINUX_SUBSYSTEMS = {
  memory: createMemoryOps,
  hugeMemory: createHugeMemoryOps,
  rmap: createRmapOps,
  migrate: createMigrateOps,
  mempolicy: createMempolicyOps,
  mprotect: createMprotectOps,
  sched: createSchedOps,
} satisfies Subsystems;

type Made<K extends keyof typeof LINUX_SUBSYSTEMS> = ReturnType<(typeof LINUX_SUBSYSTEMS)[K]>;

/** A whole kernel: the core with every subsystem, each with its package's full type. */
export type Linux = KernelInstance & { [K in keyof typeof LINUX_SUBSYSTEMS]: Made<K> };

export interface StepBootOptions extends Omit<BootOptions, "features" | "step"> {
  /** Series step the kernel is built at (0 = Linux 3.7-rc6). */
  step?: number;
  /** Steps of 1..step left out (an ablation, series/ablation.ts); default none. */
  revert?: readonly number[];
  /** Gates to force after the step is applied (tests, and clearly named CLI options). */
  features?: Partial<Features>;
  /** Subsystems to use instead of the model's own (tests: a stub or a spy). */
  subsystems?: Partial<Subsystems>;
}

/** Boot a whole kernel built at `step` (default 0) without the `revert` steps, with forced gates and replaced subsystems on top. */
export function bootAtStep(opts: StepBootOptions = {}): Linux {
  const step = opts.step ?? 0;
  return bootKernel({
    ...opts,
    step,
    features: { ...featuresAtStep(step, opts.revert), ...opts.features },
    subsystems: { ...LINUX_SUBSYSTEMS, ...opts.subsystems },
  }) as Linux;
}
