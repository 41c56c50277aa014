/**
 * Kernels without some of the series' steps (ablations: "what does the series do without the
 * two-stage filter?"). The kernel at step K without steps R... is steps 1..K, those left out, folded
 * in order over Linux 3.7-rc6 like any other kernel: each kept step sets the gates it sets, and a
 * reverted step's gates keep the value the steps before it gave them.
 *
 * That is meaningful only where no kept step depends on a reverted one, so such a kernel is refused.
 * A step depends on an earlier one when it says so (`requires` in its step.ts: its code is reached
 * only through the earlier step's, or works on what that step adds), or when its apply() reads or
 * changes a gate whose last setter before it is the earlier step: it builds on that step's value
 * (step 28's numaScanner "present-ptes" replaces step 27's "virtual-window", step 49's anonVmaLock
 * step 48's "rwsem").
 */
import { BASELINE_FEATURES, type Features } from "@balancenuma/include-linux";
import type { Step } from "./step.js";
import { STEPS } from "./steps.js";

/** A kernel of the series: built at `step`, without the steps in `reverted` (ascending, each in 1..step). */
export interface KernelSpec {
  readonly step: number;
  readonly reverted: readonly number[];
}

/** Step `step` does not work without step `on`, because `why`. */
export interface Dependency {
  readonly step: number;
  readonly on: number;
  readonly why: string;
}

/** The gates a step's apply() reads and the gates it writes. */
function gatesOf(s: Step): { reads: Set<string>; writes: Set<string> } {
  const reads = new Set<string>();
  const writes = new Set<string>();
  const gates: Record<string, unknown> = { ...BASELINE_FEATURES };
  const record = new Proxy(gates, {
    get(t, key: string): unknown {
      reads.add(key);
      return t[key];
    },
    set(t, key: string, v: unknown): boolean {
      writes.add(key);
      t[key] = v;
      return true;
    },
  });
  s.apply(record as unknown as Features);
  return { reads, writes };
}

const GATES = STEPS.map(gatesOf);

/** The gates step n's apply() sets. */
export const gatesSetBy = (n: number): readonly string[] => [...GATES[n - 1].writes];

/** Every dependency between the steps: the declared ones, then those found from the gates. */
export const DEPENDENCIES: readonly Dependency[] = (() => {
  const out: Dependency[] = STEPS.flatMap((s) => (s.requires ?? []).map((r) => ({ step: s.number, on: r.step, why: r.why })));
  STEPS.forEach((s, i) => {
    const { reads, writes } = GATES[i];
    for (const gate of new Set([...reads, ...writes])) {
      let p = i - 1;
      while (p >= 0 && !GATES[p].writes.has(gate)) p--;
      if (p < 0 || out.some((d) => d.step === s.number && d.on === p + 1)) continue;
      out.push({
        step: s.number,
        on: p + 1,
        why: `it ${writes.has(gate) ? "changes" : "reads"} the gate ${gate}, which step ${p + 1} sets: it builds on that step's value`,
      });
    }
  });
  return out.sort((a, b) => a.on - b.on || a.step - b.step);
})();

const name = (n: number) => `step ${n} (${STEPS[n - 1].key})`;
const list = (ns: readonly number[]) => (ns.length === 1 ? String(ns[0]) : `${ns.slice(0, -1).join(", ")} and ${ns[ns.length - 1]}`);

/**
 * Why the kernel at `step` without `reverted` cannot be built, in one line naming the kept step that
 * needs a reverted one and how to get a kernel that can be; undefined when it can.
 */
export function revertConflict(step: number, reverted: readonly number[]): string | undefined {
  const out = new Set(reverted);
  for (const r of [...reverted].sort((a, b) => a - b)) {
    const needing = DEPENDENCIES.filter((d) => d.on === r && d.step <= step && !out.has(d.step));
    if (needing.length === 0) continue;
    const [first] = needing;
    const steps = [...new Set(needing.map((d) => d.step))];
    const others = steps.slice(1);
    return (
      `${name(first.step)} needs ${name(r)}: ${first.why}` +
      (others.length ? `; step${others.length > 1 ? "s" : ""} ${list(others)} need${others.length > 1 ? "" : "s"} it too` : "") +
      `; revert ${list(steps)} as well, or build at a step below ${first.step}`
    );
  }
  return undefined;
}

/** A kernel spec the series cannot build: the message says what is wrong in one line. */
export class KernelSpecError extends Error {
  override name = "KernelSpecError";
}

/** Check a kernel spec: steps in range, each reverted step once and in the kernel, no dependency broken. Returns it sorted. */
export function checkKernelSpec(step: number, reverted: readonly number[]): KernelSpec {
  if (!Number.isInteger(step) || step < 0 || step > STEPS.length) throw new KernelSpecError(`step must be 0..${STEPS.length}, got ${step}`);
  const sorted = [...reverted].sort((a, b) => a - b);
  for (const [i, r] of sorted.entries()) {
    if (!Number.isInteger(r) || r < 1 || r > STEPS.length) throw new KernelSpecError(`there is no step ${r} to revert; revert steps 1 to ${STEPS.length}`);
    if (r > step) throw new KernelSpecError(`a kernel at step ${step} does not have step ${r}; revert steps 1 to ${step}, or build at step ${r} or later`);
    if (sorted[i - 1] === r) throw new KernelSpecError(`step ${r} is reverted twice; name it once`);
  }
  const conflict = revertConflict(step, sorted);
  if (conflict) throw new KernelSpecError(conflict);
  return { step, reverted: sorted };
}

/**
 * A kernel spec as text: a step number or key ("49", "two-stage-filter"), or a step number followed
 * by the step numbers it is built without, each after a '-' ("49-40", "49-40-41").
 */
export function parseKernelSpec(text: string): KernelSpec {
  const t = text.trim();
  const key = STEPS.find((s) => s.key === t);
  if (key) return { step: key.number, reverted: [] };
  if (!/^\d+(-\d+)*$/.test(t))
    throw new KernelSpecError(
      `'${text}' is not a kernel: give a step (a number 0-${STEPS.length} or a key) or STEP-N[-M...], the step without steps N, M (e.g. 49-40)`,
    );
  const [step, ...reverted] = t.split("-").map(Number);
  if (step > STEPS.length) throw new KernelSpecError(`'${text}': there is no step ${step}; steps are 0 to ${STEPS.length}`);
  return checkKernelSpec(step, reverted);
}

/** "49" or "49-40-41": how a kernel spec is written. */
export const kernelLabel = (k: KernelSpec): string => [k.step, ...k.reverted].join("-");
