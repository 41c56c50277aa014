/**
 * The workload file format (docs/workloads.md): a user's own workload as JSON or YAML, validated
 * with zod. Built-in workloads that are plain processes-threads-regions programs (autonumabench)
 * are generated as values of the same type and run by the same runner (spec-run.ts), so a file and
 * its built-in twin run the same program. Problems are reported by spec-problems.ts, which loads
 * this module (and zod) on the first spec it validates.
 */
import { z } from "zod";
import { HOST_LIMITS, hostLimitProblem } from "./host-limits.js";
import { unknownFieldsMessage } from "./suggest.js";
import { formatPath } from "./field-path.js";

/** A strict object whose unknown fields are reported with the nearest valid name. */
function fields<S extends z.core.$ZodLooseShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, { error: (iss) => (iss.code === "unrecognized_keys" ? unknownFieldsMessage(iss.keys, known) : undefined) });
}

/** A whole number from min to max; the message states the range. */
function whole(min: number, max: number, what = "a whole number") {
  const error = `expected ${what} from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A share from 0 (or, `aboveZero`, just above it) to 1; the message states the range. */
function share(aboveZero: boolean) {
  const error = aboveZero ? "expected a fraction above 0 and at most 1" : "expected a probability from 0 to 1";
  const n = z.number({ error }).max(1, { error });
  return aboveZero ? n.gt(0, { error }) : n.min(0, { error });
}

/** A number of simulated seconds above 0 and at most max. */
function seconds(max = MAX_SECONDS) {
  const error = `expected seconds above 0 and at most ${max}`;
  return z.number({ error }).positive({ error }).max(max, { error });
}

/** A run is capped at 10 simulated hours (the CLI's --seconds allows no more either). */
const MAX_SECONDS = 36000;
/** The largest region: 1 TiB (bigger than any machine the model boots in host memory). */
const MAX_REGION_BYTES = 2 ** 40;
/** Touches per pass of a random or hot-set access, and passes of any access. */
const MAX_TOUCHES = 1e9;
const MAX_LOOPS = 1e9;

const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B?|B)?$/i;
const UNITS: Record<string, number> = { "": 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
const SIZE_EXPECTED = "expected a size like 4096, 512M or 1.5G, above 0 and at most 1T";

/** A byte size: a whole number of bytes, or a string like "512M", "1.5G", "4KiB". */
const size = z.union([
  z.number().int({ error: SIZE_EXPECTED }).positive({ error: SIZE_EXPECTED }).max(MAX_REGION_BYTES, { error: SIZE_EXPECTED }),
  z.string().transform((s, ctx) => {
    const m = SIZE_RE.exec(s.trim());
    const v = m ? Math.round(Number(m[1]) * UNITS[(m[2] ?? "").charAt(0).toUpperCase()]) : NaN;
    if (!(v > 0 && v <= MAX_REGION_BYTES)) {
      ctx.addIssue({ code: "custom", message: `${SIZE_EXPECTED}, got '${s}'` });
      return z.NEVER;
    }
    return v;
  }),
]);

const nodeId = whole(0, 63, "a node id");
const nodeList = z.array(nodeId).min(1, { error: "expected at least one node id" });

/** CPU affinity: "all", a list of CPU ids, or the CPUs of some nodes. */
const cpuSetSchema = z.union([
  z.literal("all"),
  z.array(whole(0, 4095, "a CPU id")).min(1, { error: "expected at least one CPU id" }),
  fields({ nodes: nodeList }),
]);
export type CpuSet = z.infer<typeof cpuSetSchema>;

/** A memory policy (set_mempolicy for a task, mbind for a region). */
const policySchema = z.discriminatedUnion("mode", [
  fields({ mode: z.literal("default") }),
  fields({ mode: z.literal("local") }),
  fields({ mode: z.literal("bind"), nodes: nodeList }),
  fields({ mode: z.literal("interleave"), nodes: nodeList }),
  fields({ mode: z.literal("preferred"), nodes: z.array(nodeId).length(1, { error: "expected exactly one node id" }) }),
]);
export type Policy = z.infer<typeof policySchema>;

const regionSchema = fields({
  name: z.string().min(1, { error: "expected a region name" }),
  size,
  /** madvise: MADV_HUGEPAGE, MADV_NOHUGEPAGE or nothing. */
  thp: z.enum(["default", "hugepage", "nohugepage"]).default("default"),
  /** mbind applied right after mmap. */
  policy: policySchema.optional(),
  /**
   * Who touches the region first: nobody in particular ("none": whoever accesses it first), the
   * process's main thread (zeroes all of it right after mmap), or each worker thread its own slice.
   */
  firstTouch: z.enum(["none", "main", "each-thread"]).default("none"),
});
export type Region = z.infer<typeof regionSchema>;

const slice = z.union([z.literal("thread"), fields({ index: whole(0, HOST_LIMITS.tasks - 1), of: whole(1, HOST_LIMITS.tasks) })]);

const accessSchema = fields({
  region: z.string().min(1, { error: "expected a region name" }),
  pattern: z.enum(["sequential", "random", "hot-set", "chunked-walk"]).default("sequential"),
  /** The whole region, this thread's share of it ("thread"), or slice index of N. */
  slice: slice.optional(),
  /** Passes over the range; "forever" = until the run (or `seconds`) ends. */
  loops: z.union([whole(1, MAX_LOOPS), z.literal("forever")]).default("forever"),
  /** Stop this phase after this many simulated seconds (measured from its start). */
  seconds: seconds().optional(),
  write: z.boolean().default(true),
  /** sequential: walk from the end to the start. */
  backward: z.boolean().default(false),
  /** Bytes moved per page touch: 4096 streams whole pages; less models partial use of a page. */
  bytesPerTouch: whole(1, 4096).default(4096),
  /** Bandwidth-bound streaming (default) or latency-bound (one cache miss per touch, pointer chasing). */
  kind: z.enum(["stream", "latency"]).default("stream"),
  /** random / hot-set: page touches per pass (default: the pages of the range). */
  touchesPerLoop: whole(1, MAX_TOUCHES).optional(),
  /** hot-set: the share of the range that is hot, and the share of touches that go to it. */
  hotFraction: share(true).default(0.1),
  hotProbability: share(false).default(0.9),
  /** chunked-walk: bytes per chunk (perf bench numa walks 8 KiB chunks), whole pages. */
  chunkBytes: whole(4096, 2 ** 30)
    .multipleOf(4096, { error: "expected a multiple of 4096" })
    .default(8192),
}).refine((a) => !(typeof a.slice === "object" && a.slice.index >= a.slice.of), { error: "slice index must be below 'of'", path: ["slice"] });
export type Access = z.infer<typeof accessSchema>;

/** What each kind of phase holds. */
const PHASE_KINDS = {
  access: accessSchema,
  mempolicy: policySchema,
  affinity: cpuSetSchema,
  sleep: seconds(),
  compute: seconds(),
  barrier: z.literal(true),
};
type PhaseKinds = typeof PHASE_KINDS;
/** One phase of a thread: exactly one action. */
export type Phase = { [K in keyof PhaseKinds]: { [P in K]: z.output<PhaseKinds[K]> } }[keyof PhaseKinds];
const PHASE_NAMES = Object.keys(PHASE_KINDS) as (keyof PhaseKinds)[];

/**
 * A phase is an object with exactly one of the PHASE_KINDS fields. It is validated as an object of
 * optional fields rather than a union of one-field objects, so a mistake inside the phase the user
 * meant (`access: {pattern: hotset}`) is reported there, not as "none of the kinds matched".
 */
const phaseSchema = fields({
  access: PHASE_KINDS.access.optional(),
  mempolicy: PHASE_KINDS.mempolicy.optional(),
  affinity: PHASE_KINDS.affinity.optional(),
  sleep: PHASE_KINDS.sleep.optional(),
  compute: PHASE_KINDS.compute.optional(),
  barrier: PHASE_KINDS.barrier.optional(),
})
  .superRefine((p, ctx) => {
    const given = PHASE_NAMES.filter((k) => p[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: "custom",
        message: `expected exactly one of ${PHASE_NAMES.join(", ")}, got ${given.length === 0 ? "none" : given.join(" and ")}`,
        params: { phaseKinds: true },
      });
  })
  .transform((p) => p as Phase);

const COMM_ERROR = "expected a name of 1 to 15 characters (a task's comm)";
const comm = z.string({ error: COMM_ERROR }).min(1, { error: COMM_ERROR }).max(15, { error: COMM_ERROR });

const threadGroupSchema = fields({
  name: comm.optional(),
  count: whole(1, HOST_LIMITS.threadsPerGroup).default(1),
  cpus: cpuSetSchema.optional(),
  mempolicy: policySchema.optional(),
  /** Regions each thread of the group maps for itself (thread-private memory). */
  regions: z.array(regionSchema).default([]),
  phases: z.array(phaseSchema).default([]),
});
export type ThreadGroup = z.infer<typeof threadGroupSchema>;

const processSchema = fields({
  name: comm,
  count: whole(1, HOST_LIMITS.processes).default(1),
  cpus: cpuSetSchema.optional(),
  mempolicy: policySchema.optional(),
  /** Regions mapped by the main thread, shared by all threads of the process. */
  regions: z.array(regionSchema).default([]),
  /** What the main thread does after mapping the regions, before it starts the threads. */
  main: z.array(phaseSchema).default([]),
  /** Worker threads, started after `main` in this order; the main thread then waits for them. */
  threads: z.array(threadGroupSchema).default([]),
});
export type ProcessSpec = z.infer<typeof processSchema>;

export const workloadSpecSchema = fields({
  name: z.string().min(1, { error: "expected the workload's name" }),
  description: z.string().default(""),
  /** Simulated seconds to run at most (the command line's --seconds overrides it). */
  seconds: seconds().optional(),
  processes: z.array(processSchema).min(1, { error: "expected at least one process" }),
}).superRefine((w, ctx) => {
  w.processes.forEach((p, pi) => {
    const at = (...path: (string | number)[]) => ["processes", pi, ...path];
    const shared = uniqueRegions(p.regions, at("regions"), new Map(), ctx);
    p.threads.forEach((g, gi) => uniqueRegions(g.regions, at("threads", gi, "regions"), shared, ctx));
    // Every access must name a region the thread can see.
    const check = (phases: Phase[], own: Set<string>, where: (string | number)[]) => {
      phases.forEach((ph, i) => {
        if ("access" in ph && !shared.has(ph.access.region) && !own.has(ph.access.region))
          ctx.addIssue({
            code: "custom",
            path: [...where, i, "access", "region"],
            message: `expected the name of a region of this process or thread (${[...shared.keys(), ...own].join(", ") || "none defined"}), got '${ph.access.region}'`,
          });
        if ("barrier" in ph && where.includes("main"))
          ctx.addIssue({ code: "custom", path: [...where, i, "barrier"], message: "expected barriers only in thread phases" });
      });
    };
    check(p.main, new Set(), at("main"));
    p.threads.forEach((g, gi) => {
      check(g.phases, new Set(g.regions.map((r) => r.name)), at("threads", gi, "phases"));
    });
  });
  const tooBig = hostLimitProblem(w);
  if (tooBig) ctx.addIssue({ code: "custom", path: ["processes"], message: tooBig });
});

/**
 * Region names must be unique where a thread can see them: among a process's regions, and among a
 * thread group's own regions together with its process's. Returns the names seen, with their paths.
 */
function uniqueRegions(regions: readonly Region[], path: (string | number)[], outer: ReadonlyMap<string, string>, ctx: z.RefinementCtx): Map<string, string> {
  const seen = new Map(outer);
  regions.forEach((r, i) => {
    const first = seen.get(r.name);
    if (first !== undefined)
      ctx.addIssue({
        code: "custom",
        path: [...path, i, "name"],
        message: `region name '${r.name}' is already used by ${first}; give each region its own name`,
      });
    else seen.set(r.name, formatPath([...path, i]));
  });
  return seen;
}

/** A validated workload file (or a generated built-in); `source` names the file in messages. */
export type WorkloadSpec = z.infer<typeof workloadSpecSchema> & { readonly source?: string };
/** What a file may say (sizes as strings, defaults omitted). */
export type WorkloadSpecInput = z.input<typeof workloadSpecSchema>;
