/**
 * `numastat -p PID...` (numactl's numastat.c, 2012 rewrite): per-node memory of processes in MB,
 * computed as numastat does it, from the text of /proc/PID/numa_maps.
 */

export interface NumastatProcess {
  pid: number;
  comm: string;
  /** The process's /proc/PID/numa_maps text. */
  numaMaps: string;
}

export interface NumastatOptions {
  /** Node ids, in order (numastat's "Node N" columns). */
  nodes: readonly number[];
  /** Base page size in bytes (sysconf(_SC_PAGESIZE)). */
  pageSize?: number;
  /** Hugepagesize from /proc/meminfo, bytes (counts of `huge` vmas). */
  hugePageSize?: number;
  /** -v: one table per process with the Huge/Heap/Stack/Private rows even for several processes. */
  verbose?: boolean;
}

const CATEGORIES = [
  { token: "huge", label: "Huge" },
  { token: "heap", label: "Heap" },
  { token: "stack", label: "Stack" },
] as const;
const PRIVATE = 3;
const MEGABYTE = 1024 * 1024;
/** set_col_width(16) for data columns; the left column is auto-sized to 16..24 (not -c). */
const COL = 16;

/** Per category, per node: MB of one process, as show_process_info adds it up line by line. */
function processMb(p: NumastatProcess, nodes: readonly number[], pageSize: number, hugePageSize: number): number[][] {
  const mb = [0, 1, 2, 3].map(() => nodes.map(() => 0));
  for (const line of p.numaMaps.split("\n")) {
    let category = PRIVATE;
    for (const tok of line.split(/[ \t\r]+/).filter(Boolean)) {
      if (category === PRIVATE) {
        const i = CATEGORIES.findIndex((c) => tok.startsWith(c.token));
        if (i >= 0) category = i;
      }
      const m = /^N(\d+)=(\d+)/.exec(tok);
      if (!m) continue;
      const col = nodes.indexOf(Number(m[1]));
      if (col >= 0) mb[category][col] += (Number(m[2]) * (category === 0 ? hugePageSize : pageSize)) / MEGABYTE;
    }
  }
  return mb;
}

/** A table cell: text, a number (MB, 2 decimals), "-rule-" (a row of dashes) or nothing. */
type Cell = string | number | null;

/** display_table for one table: cells left-justified in column 0, right-justified elsewhere. */
function numastatTable(rows: Cell[][]): string {
  const labels = rows.map((r) => r[0]).filter((c): c is string => typeof c === "string" && c !== "-rule-");
  const left = Math.min(24, Math.max(COL, ...labels.map((l) => Math.min(l.length, 24))) + 1);
  const cell = (c: Cell, width: number, leftJustify: boolean) => {
    const text = c === null ? "" : c === "-rule-" ? "-".repeat(width - 1) : typeof c === "number" ? c.toFixed(2) : c.slice(0, width);
    return leftJustify ? text.padEnd(width) : text.padStart(width);
  };
  return rows.map((r) => r.map((c, i) => cell(c, i === 0 ? left : COL, i === 0)).join("") + "\n").join("");
}

export function renderNumastat(procs: readonly NumastatProcess[], opts: NumastatOptions): string {
  const { nodes, pageSize = 4096, hugePageSize = 2 * MEGABYTE } = opts;
  const head = [...nodes.map((n) => `Node ${n}`), "Total"];
  const rule: Cell[] = head.map(() => "-rule-");
  const withTotal = (xs: number[]): number[] => [...xs, xs.reduce((a, b) => a + b, 0)];
  const sumCols = (rows: number[][]) => nodes.map((_, i) => rows.reduce((a, r) => a + r[i], 0));
  const perProcess = procs.map((p) => processMb(p, nodes, pageSize, hugePageSize));
  if (procs.length === 1 || opts.verbose) {
    return procs
      .map((p, i) => {
        const mb = perProcess[i];
        const rows: Cell[][] = [
          [null, ...head],
          [null, ...rule],
          ...CATEGORIES.map((c, j) => [c.label, ...withTotal(mb[j])]),
          ["Private", ...withTotal(mb[PRIVATE])],
          ["-rule-", ...rule],
          ["Total", ...withTotal(sumCols(mb))],
        ];
        return `\nPer-node process memory usage (in MBs) for PID ${p.pid} (${p.comm})\n${numastatTable(rows)}`;
      })
      .join("");
  }
  const totals = perProcess.map((mb) => sumCols(mb));
  const rows: Cell[][] = [
    ["PID", ...head],
    ["-rule-", ...rule],
    ...procs.map((p, i) => [`${p.pid} (${p.comm})`, ...withTotal(totals[i])]),
    ["-rule-", ...rule],
    ["Total", ...withTotal(sumCols(totals))],
  ];
  return `\nPer-node process memory usage (in MBs)\n${numastatTable(rows)}`;
}

/**
 * `numastat` with no arguments (numactl's numastat, compatible with the perl script before it): one
 * column per node headed `nodeN`, one row per counter of /sys/devices/system/node/nodeN/numastat,
 * in pages. `files` are those files' texts, by node id.
 */
export function renderNumastatSystem(files: readonly { node: number; numastat: string }[]): string {
  const counters = files.map(
    (f) =>
      new Map(
        f.numastat
          .trim()
          .split("\n")
          .map((l): [string, string] => [l.slice(0, l.indexOf(" ")), l.slice(l.indexOf(" ") + 1)]),
      ),
  );
  const names = [...(counters[0]?.keys() ?? [])];
  return numastatTable([["", ...files.map((f) => `node${f.node}`)], ...names.map((n) => [n, ...counters.map((c) => c.get(n) ?? "0")])]);
}
