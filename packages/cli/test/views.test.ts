import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cli, repoRoot } from "./helpers.js";
import { parseAt } from "../src/commands/view-options.js";

const dir = mkdtempSync(join(tmpdir(), "balancenuma-views-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const RUN = ["run", "-w", "remote-memory", "--topology", "nodes=2,cpus=2,mem=128M", "--thp", "never", "--seconds", "2"];

describe("balancenuma run --proc / --trace", () => {
  it("prints /proc/vmstat alone in the kernel's format, at the simulated time asked for", async () => {
    const early = await cli([...RUN, "--step", "49", "--proc", "vmstat", "--at", "0.5"]);
    const end = await cli([...RUN, "--step", "49", "--proc", "vmstat"]);
    expect(early.code).toBe(0);
    expect(early.out).toMatch(/^nr_free_pages \d+\n/);
    expect(early.out).toMatch(/^numa_pages_migrated 0$/m);
    expect(end.out).toMatch(/^numa_pages_migrated [1-9]\d*$/m);
  });

  it("prints numa_maps and numastat -p of each process, each under a header naming the file and time", async () => {
    const r = await cli([...RUN, "--step", "49", "--proc", "numa_maps,numastat-p", "--at", "1.5"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^==> \/proc\/1\/numa_maps at 1\.50\d s <==\n7f[0-9a-f]+ prefer:0 anon=\d+ dirty=\d+ active=0( N[01]=\d+)+\n/);
    expect(r.out).toMatch(
      /==> numastat -p 1 at 1\.50\d s <==\n\nPer-node process memory usage \(in MBs\) for PID 1 \(remote-memory\)\n {27}Node 0 {10}Node 1 {11}Total\n/,
    );
    expect(r.out).toMatch(/^Private +\d+\.\d\d +\d+\.\d\d +32\.00$/m);
  });

  it("prints each node's meminfo in 3.7's format and numastat's per-node table, and where memory moved between two times", async () => {
    const r = await cli([...RUN, "--step", "49", "--proc", "meminfo,numastat", "--at", "0.5,1.5"]);
    expect(r.code).toBe(0);
    const at = (t: string, file: string) => new RegExp(`==> ${file.replace(/\//g, "\\/")} at ${t}\\d* s <==\\n([^]*?)(\\n==>|$)`).exec(r.out)![1];
    const anon = (t: string, node: number) =>
      Number(new RegExp(`^Node ${node} AnonPages: +(\\d+) kB$`, "m").exec(at(t, `/sys/devices/system/node/node${node}/meminfo`))![1]);
    // remote-memory's 32 MiB buffer: first touched on node 0, on node 1 once step 49 has moved it.
    expect([anon("0.50", 0), anon("0.50", 1)]).toEqual([32768, 0]);
    expect([anon("1.50", 0), anon("1.50", 1)]).toEqual([0, 32768]);
    const meminfo = at("0.50", "/sys/devices/system/node/node0/meminfo").split("\n");
    expect(meminfo[0]).toBe("Node 0 MemTotal:         131072 kB");
    expect(meminfo).toContain("Node 0 Inactive(anon):        0 kB");
    expect(meminfo).toContain("Node 0 AnonHugePages:         0 kB");
    expect(meminfo).toContain("Node 0 HugePages_Total:     0");
    const numastat = at("1.50", "numastat").split("\n");
    expect(numastat[0]).toMatch(/^ +node0 +node1$/);
    expect(numastat.slice(1, 7).map((l) => l.split(/ +/)[0])).toEqual(["numa_hit", "numa_miss", "numa_foreign", "interleave_hit", "local_node", "other_node"]);
    expect(numastat[1]).toMatch(/^numa_hit +\d+ +\d+$/);
  });

  it("takes --at as a list or an interval, one snapshot per tick reached, and one at the end for times after it", async () => {
    const r = await cli([...RUN, "--step", "0", "--proc", "vmstat", "--at", "0-5/0.5"]);
    expect(r.code).toBe(0);
    const times = [...r.out.matchAll(/^==> \/proc\/vmstat at ([\d.]+) s <==$/gm)].map((m) => Number(m[1]));
    expect(times.slice(0, 5).map((t) => Number(t.toFixed(1)))).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(times).toHaveLength(5);
    expect(r.err).toBe("balancenuma: note: the run ended at 2.000 s, before 6 of the --at times (from 2.5 s); one snapshot is taken at its end\n");
    expect(parseAt("3,1,2-3/0.5")).toEqual([1, 2, 2.5, 3]);
  });

  it("writes the mm_migrate_pages events in ftrace text format, and says when the kernel has no trace events", async () => {
    const file = join(dir, "trace.txt");
    expect((await cli([...RUN, "--step", "49", "--trace", file])).code).toBe(0);
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines[0]).toBe("# tracer: nop");
    expect(lines[4]).toMatch(/^ +remote-memory-1 \[\d{3}\] +\d+\.\d{6}: mm_migrate_pages: nr_succeeded=\d+ nr_failed=0 mode=MIGRATE_ASYNC reason=0x5$/);
    const early = await cli([...RUN, "--step", "9", "--trace", file]);
    expect(early.err).toMatch(/a kernel at step 9 has no trace events \(migrate:mm_migrate_pages arrives at step 10\)/);
    expect(readFileSync(file, "utf8").split("\n")).toHaveLength(5);
  });

  it("writes through a symlink to the file it names: the link stays a link", async () => {
    const target = join(dir, "target.txt");
    const link = join(dir, "link.txt");
    writeFileSync(target, "old\n");
    symlinkSync(target, link);
    expect((await cli([...RUN, "--step", "49", "--trace", link])).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toMatch(/^# tracer: nop\n[^]*mm_migrate_pages: nr_succeeded=/);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writes through a FIFO (which a rename would replace) as any writer would", () => {
    const fifo = join(dir, "fifo");
    const copy = join(dir, "from-fifo.txt");
    execFileSync("mkfifo", [fifo]);
    const cmd = [...BIN, ...RUN, "--step", "49", "--trace", fifo].map((a) => `'${a}'`).join(" ");
    execFileSync("bash", ["-c", `cat '${fifo}' > '${copy}' & ${cmd} > /dev/null; wait`], { cwd: repoRoot, timeout: 60_000 });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readFileSync(copy, "utf8")).toMatch(/^# tracer: nop\n[^]*mm_migrate_pages: nr_succeeded=/);
  });

  it("checks the trace path before the run: a 10-hour run with an unwritable --trace fails at once", async () => {
    const r = await cli(["run", "-w", "numa01", "-t", "vega", "--seconds", "36000", "--trace", "/proc/trace.txt"]);
    expect([r.code, r.err]).toEqual([2, "balancenuma: --trace: cannot write '/proc/trace.txt': ENOENT\n"]);
  });

  it.each([
    [["--at", "1"], /--at sets the time of the --proc views; add --proc/],
    [["--proc", "vmstat,maps"], /'maps' is not a view; use a comma-separated list of vmstat, numa_maps, meminfo, numastat, numastat-p/],
    [["--proc", "vmstat", "--json"], /--proc prints the kernel's text files; leave out --json/],
    [["--proc", "vmstat", "--at", "-1"], /'-1' is not a list of times/],
    [["--proc", "vmstat", "--at", "1,,2"], /'1,,2' is not a list of times \(an empty one is not from 0 to 36000 s\)/],
    [["--proc", "vmstat", "--at", "5-1/1"], /'5-1\/1' ends before it starts/],
    [["--proc", "vmstat", "--at", "0-100/0.01"], /asks for more than 1000 snapshots/],
    [["--trace", "/nonexistent-dir/t.txt"], /--trace: directory '\/nonexistent-dir' does not exist/],
    [["--trace", "/etc/hostname/t.txt"], /--trace: directory '\/etc\/hostname' is not a directory/],
    [["--trace", "/tmp"], /--trace: '\/tmp' is a directory; give a file name/],
  ])("rejects %j with one line and exit code 2", async (extra, message) => {
    const r = await cli([...RUN, ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.out).toBe("");
    expect(existsSync("/nonexistent-dir")).toBe(false);
  });
});
