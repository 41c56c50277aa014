import { UsageError } from "../../errors.js";
import type { Shard } from "./matrix.js";

/** The environment variable giving the number of shares for a Kubernetes Indexed Job (its `completions`). */
export const SHARD_COUNT_ENV = "BALANCENUMA_SHARD_COUNT";

export type Env = Readonly<Record<string, string | undefined>>;

/** The share a sweep runs, and where it came from (for the summary line). */
export interface ShardChoice {
  shard: Shard;
  /** "--shard", or the environment variable holding the index, e.g. "SLURM_ARRAY_TASK_ID=3". */
  from: string;
}

const given = (env: Env, name: string): string | undefined => (env[name]?.trim() ? env[name].trim() : undefined);

/** A whole number from the environment; anything else is a usage error naming the variable. */
function wholeNumber(env: Env, name: string): number | undefined {
  const v = given(env, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${name}='${v}' is not a whole number; unset it or give --shard i/n`);
  return Number(v);
}

/**
 * The share of a Slurm job array's task: its position in the array (MIN, MIN+STEP, ... MAX), out of
 * the array's size. An array with gaps (--array=0,3,7) has no position to derive, so it is refused.
 */
function slurmShard(env: Env): Shard {
  const id = wholeNumber(env, "SLURM_ARRAY_TASK_ID")!;
  const count = wholeNumber(env, "SLURM_ARRAY_TASK_COUNT");
  const min = wholeNumber(env, "SLURM_ARRAY_TASK_MIN");
  const max = wholeNumber(env, "SLURM_ARRAY_TASK_MAX");
  const step = wholeNumber(env, "SLURM_ARRAY_TASK_STEP") ?? 1;
  if (step === 0) throw new UsageError("SLURM_ARRAY_TASK_STEP=0 is not an array step; unset it or give --shard i/n");
  if (min === undefined && count === undefined)
    throw new UsageError("SLURM_ARRAY_TASK_ID is set without SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MIN/MAX; give --shard i/n");
  if (min !== undefined && max === undefined && count === undefined)
    throw new UsageError("SLURM_ARRAY_TASK_MIN is set without SLURM_ARRAY_TASK_MAX or SLURM_ARRAY_TASK_COUNT; give --shard i/n");
  // Without MIN the array is taken to start at 0, as in `--array=0-N`.
  const first = min ?? 0;
  const spanned = min !== undefined && max !== undefined ? Math.floor((max - first) / step) + 1 : undefined;
  if (spanned !== undefined && count !== undefined && spanned !== count)
    throw new UsageError(
      `SLURM_ARRAY_TASK_COUNT=${count} but the array ${first}-${max}${step === 1 ? "" : `:${step}`} spans ${spanned} tasks: it has gaps; submit a range such as --array=0-${count - 1}, or give --shard i/n`,
    );
  const n = count ?? spanned!;
  const position = (id - first) / step;
  if (!Number.isInteger(position) || position < 0 || position >= n)
    throw new UsageError(
      `SLURM_ARRAY_TASK_ID=${id} is not a task of the array ${first}-${first + (n - 1) * step}${step === 1 ? "" : `:${step}`}; give --shard i/n`,
    );
  return { index: position + 1, count: n };
}

/**
 * Which share of the matrix to run. `--shard i/n` wins over the environment. Without it, a Slurm job
 * array's task (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job's pod (JOB_COMPLETION_INDEX, 0-based)
 * gives the index; the Indexed Job's count comes from `countFlag` (--shard-count) or else from
 * BALANCENUMA_SHARD_COUNT. A count that disagrees with Slurm's, both launchers at once, or a count
 * without an index is a usage error. No flag and no launcher: the whole matrix (undefined).
 */
export function chooseShard(flag: Shard | undefined, countFlag: number | undefined, env: Env): ShardChoice | undefined {
  if (flag) {
    if (countFlag !== undefined)
      throw new UsageError("--shard-count goes with a shard index from the environment; --shard i/n already gives the count, so drop one of them");
    return { shard: flag, from: "--shard" };
  }
  const slurm = given(env, "SLURM_ARRAY_TASK_ID");
  const k8s = given(env, "JOB_COMPLETION_INDEX");
  const envCount = wholeNumber(env, SHARD_COUNT_ENV);
  if (envCount === 0) throw new UsageError(`${SHARD_COUNT_ENV}=0 is not a number of shares; set it to the Job's completions (1 or more)`);
  const count = countFlag ?? envCount;
  const countFrom = countFlag !== undefined ? "--shard-count" : SHARD_COUNT_ENV;
  const dropCount = countFlag !== undefined ? "drop --shard-count" : `unset ${SHARD_COUNT_ENV}`;
  if (slurm !== undefined && k8s !== undefined)
    throw new UsageError(`SLURM_ARRAY_TASK_ID=${slurm} and JOB_COMPLETION_INDEX=${k8s} are both set, so the share is ambiguous; give --shard i/n`);
  if (slurm !== undefined) {
    const shard = slurmShard(env);
    if (count !== undefined && count !== shard.count)
      throw new UsageError(`${countFrom} says ${count} shares but the Slurm array has ${shard.count} tasks; ${dropCount} or make them agree`);
    return { shard, from: `SLURM_ARRAY_TASK_ID=${slurm}` };
  }
  if (k8s !== undefined) {
    const index = wholeNumber(env, "JOB_COMPLETION_INDEX")!;
    if (count === undefined)
      throw new UsageError(
        `JOB_COMPLETION_INDEX=${index} gives the share but not the number of shares; give --shard-count N or set ${SHARD_COUNT_ENV} to the Job's completions`,
      );
    if (index >= count)
      throw new UsageError(
        `JOB_COMPLETION_INDEX=${index} is not a share of ${count} (${countFrom}); indexes run from 0 to ${count - 1}, so set ${countFrom} to the Job's completions`,
      );
    return { shard: { index: index + 1, count }, from: `JOB_COMPLETION_INDEX=${index}` };
  }
  if (count !== undefined)
    throw new UsageError(
      `${countFrom} is set but no job array gives a shard index (SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX); give --shard i/n, or ${dropCount}`,
    );
  return undefined;
}
