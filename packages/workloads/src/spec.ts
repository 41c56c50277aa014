/**
 * The workload file format (docs/workloads.md): a user's own workload as JSON or YAML, validated
 * with zod. Built-in workloads that are plain processes-threads-regions programs (autonumabench)
 * are generated as values of the same type and run by the same runner (spec-run.ts), so a file and
 * its built-in twin run the same program.
 */
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import { WorkloadError } from "./errors.js";

const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B?|B)?$/i;
const UNITS: Record<string, number> = { "": 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** A byte size: a whole number of bytes, or a string like "512M", "1.5G", "4KiB". */
const size = z.union([
  z.number().int().positive(),
  z.string().transform((s, ctx) => {
    const m = SIZE_RE.exec(s.trim());
    if (!m) {
      ctx.addIssue({ code: "custom", message: `expected a size like 4096, 512M or 1.5G, got '${s}'` });
      return z.NEVER;
    }
    const v = Math.round(Number(m[1]) * UNITS[(m[2] ?? "").charAt(0).toUpperCase()]);
    if (v <= 0) {
      ctx.addIssue({ code: "custom", message: `expected a size above 0, got '${s}'` });
      return z.NEVER;
    }
    return v;
  }),
]);

const nodeId = z.number().int().min(0).max(63);
const nodeList = z.array(nodeId).min(1);

/** CPU affinity: "all", a list of CPU ids, or the CPUs of some nodes. */
export const cpuSetSchema = z.union([
  z.literal("all"),
  z.array(z.number().int().min(0).max(4095)).min(1),
  z.strictObject({ nodes: nodeList }),
]);
export type CpuSet = z.infer<typeof cpuSetSchema>;

/** A memory policy (set_mempolicy for a task, mbind for a region). */
export const policySchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("default") }),
  z.strictObject({ mode: z.literal("local") }),
  z.strictObject({ mode: z.literal("bind"), nodes: nodeList }),
  z.strictObject({ mode: z.literal("interleave"), nodes: nodeList }),
  z.strictObject({ mode: z.literal("preferred"), nodes: z.array(nodeId).length(1) }),
]);
export type Policy = z.infer<typeof policySchema>;

export const regionSchema = z.strictObject({
  name: z.string().min(1),
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

const slice = z.union([z.literal("thread"), z.strictObject({ index: z.number().int().min(0), of: z.number().int().min(1) })]);

export const accessSchema = z
  .strictObject({
    region: z.string().min(1),
    pattern: z.enum(["sequential", "random", "hot-set", "chunked-walk"]).default("sequential"),
    /** The whole region, this thread's share of it ("thread"), or slice index of N. */
    slice: slice.optional(),
    /** Passes over the range; "forever" = until the run (or `seconds`) ends. */
    loops: z.union([z.number().int().min(1), z.literal("forever")]).default("forever"),
    /** Stop this phase after this many simulated seconds (measured from its start). */
    seconds: z.number().positive().optional(),
    write: z.boolean().default(true),
    /** sequential: walk from the end to the start. */
    backward: z.boolean().default(false),
    /** Bytes moved per page touch: 4096 streams whole pages; less models partial use of a page. */
    bytesPerTouch: z.number().int().min(1).max(4096).default(4096),
    /** Bandwidth-bound streaming (default) or latency-bound (one cache miss per touch, pointer chasing). */
    kind: z.enum(["stream", "latency"]).default("stream"),
    /** random / hot-set: page touches per pass (default: the pages of the range). */
    touchesPerLoop: z.number().int().min(1).optional(),
    /** hot-set: the share of the range that is hot, and the share of touches that go to it. */
    hotFraction: z.number().gt(0).max(1).default(0.1),
    hotProbability: z.number().min(0).max(1).default(0.9),
    /** chunked-walk: bytes per chunk (perf bench numa walks 8 KiB chunks). */
    chunkBytes: z.number().int().min(4096).default(8192),
  })
  .refine((a) => !(typeof a.slice === "object" && a.slice.index >= a.slice.of), { message: "slice index must be below 'of'", path: ["slice"] });
export type Access = z.infer<typeof accessSchema>;

/** One phase of a thread: exactly one action. */
export const phaseSchema = z.union([
  z.strictObject({ access: accessSchema }),
  z.strictObject({ mempolicy: policySchema }),
  z.strictObject({ affinity: cpuSetSchema }),
  z.strictObject({ sleep: z.number().positive() }),
  z.strictObject({ compute: z.number().positive() }),
  z.strictObject({ barrier: z.literal(true) }),
]);
export type Phase = z.infer<typeof phaseSchema>;

export const threadGroupSchema = z.strictObject({
  name: z.string().min(1).max(15).optional(),
  count: z.number().int().min(1).max(4096).default(1),
  cpus: cpuSetSchema.optional(),
  mempolicy: policySchema.optional(),
  /** Regions each thread of the group maps for itself (thread-private memory). */
  regions: z.array(regionSchema).default([]),
  phases: z.array(phaseSchema).default([]),
});
export type ThreadGroup = z.infer<typeof threadGroupSchema>;

export const processSchema = z.strictObject({
  name: z.string().min(1).max(15),
  count: z.number().int().min(1).max(1024).default(1),
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

export const workloadSpecSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().default(""),
    /** Simulated seconds to run at most (the command line's --seconds overrides it). */
    seconds: z.number().positive().max(36000).optional(),
    processes: z.array(processSchema).min(1),
  })
  .superRefine((w, ctx) => {
    // Every access must name a region the thread can see.
    w.processes.forEach((p, pi) => {
      const shared = new Set(p.regions.map((r) => r.name));
      const check = (phases: Phase[], own: Set<string>, where: (string | number)[]) =>
        phases.forEach((ph, i) => {
          if ("access" in ph && !shared.has(ph.access.region) && !own.has(ph.access.region))
            ctx.addIssue({
              code: "custom",
              path: [...where, i, "access", "region"],
              message: `expected the name of a region of this process or thread (${[...shared, ...own].join(", ") || "none defined"}), got '${ph.access.region}'`,
            });
          if ("barrier" in ph && where.includes("main"))
            ctx.addIssue({ code: "custom", path: [...where, i, "barrier"], message: "expected barriers only in thread phases" });
        });
      check(p.main, new Set(), ["processes", pi, "main"]);
      p.threads.forEach((g, gi) => check(g.phases, new Set(g.regions.map((r) => r.name)), ["processes", pi, "threads", gi, "phases"]));
    });
  });

/** A validated workload file. */
export type WorkloadSpec = z.infer<typeof workloadSpecSchema>;
/** What a file may say (sizes as strings, defaults omitted). */
export type WorkloadSpecInput = z.input<typeof workloadSpecSchema>;

/** `processes[0].threads[1].count`-style path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s === "" ? String(p) : `.${String(p)}`;
  return s || "(top level)";
}

/** Validate a parsed document; throws WorkloadError naming the first problem's field path. */
export function validateSpec(doc: unknown, source = "workload file"): WorkloadSpec {
  const r = workloadSpecSchema.safeParse(doc);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  let msg = issue.message;
  if (issue.code === "unrecognized_keys") msg = `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
  if (issue.code === "invalid_union" && issue.path.length > 0) msg = `expected ${describeUnion(issue.path)}`;
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problem${r.error.issues.length > 2 ? "s" : ""})` : "";
  throw new WorkloadError(`${source}: ${formatPath(issue.path)}: ${msg}${more}`);
}

function describeUnion(path: readonly PropertyKey[]): string {
  const last = String(path[path.length - 1]);
  if (last === "cpus" || last === "affinity") return `"all", a list of CPU ids or {nodes: [...]}`;
  if (last === "slice") return `"thread" or {index, of}`;
  if (last === "size") return "a size like 4096, 512M or 1.5G";
  if (last === "loops") return `a whole number of passes or "forever"`;
  return "exactly one of access, mempolicy, affinity, sleep, compute, barrier";
}

/** Parse a workload file's text (YAML, of which JSON is a subset) and validate it. */
export function parseWorkloadFile(text: string, source = "workload file"): WorkloadSpec {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: false });
  } catch (e) {
    throw new WorkloadError(`${source}: not valid YAML or JSON: ${(e as Error).message.split("\n")[0]}`);
  }
  return validateSpec(doc, source);
}
