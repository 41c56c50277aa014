import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cli, repoRoot } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "balancenuma-views-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUN = ["run", "-w", "remote-memory", "--topology", "nodes=2,cpus=2,mem=128M", "--thp", "never", "--seconds", "2"];

describe("balancenuma run --proc / --trace", () => {
  it("prints /proc/vmstat alone in the kernel's format, at the simulated time asked for", () => {
    const early = cli([...RUN, "--step", "49", "--proc", "vmstat", "--at", "0.5"]);
    const end = cli([...RUN, "--step", "49", "--proc", "vmstat"]);
    expect(early.code).toBe(0);
    expect(early.out).toMatch(/^nr_free_pages \d+\n/);
    expect(early.out).toMatch(/^numa_pages_migrated 0$/m);
    expect(end.out).toMatch(/^numa_pages_migrated [1-9]\d*$/m);
  });

  it("prints numa_maps and numastat -p of each process, each under a header naming the file and time", () => {
    const r = cli([...RUN, "--step", "49", "--proc", "numa_maps,numastat", "--at", "1.5"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^==> \/proc\/1\/numa_maps at 1\.50\d s <==\n7f[0-9a-f]+ prefer:0 anon=\d+ dirty=\d+ active=0( N[01]=\d+)+\n/);
    expect(r.out).toMatch(/==> numastat -p 1 at 1\.50\d s <==\n\nPer-node process memory usage \(in MBs\) for PID 1 \(remote-memory\)\n {27}Node 0 {10}Node 1 {11}Total\n/);
    expect(r.out).toMatch(/^Private +\d+\.\d\d +\d+\.\d\d +32\.00$/m);
  });

  it("writes the mm_migrate_pages events in ftrace text format, and says when the kernel has no trace events", () => {
    const file = join(dir, "trace.txt");
    expect(cli([...RUN, "--step", "49", "--trace", file]).code).toBe(0);
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines[0]).toBe("# tracer: nop");
    expect(lines[4]).toMatch(/^ +remote-memory-1 \[\d{3}\] +\d+\.\d{6}: mm_migrate_pages: nr_succeeded=\d+ nr_failed=0 mode=MIGRATE_ASYNC reason=0x5$/);
    const early = cli([...RUN, "--step", "9", "--trace", file]);
    expect(early.err).toMatch(/a kernel at step 9 has no trace events \(migrate:mm_migrate_pages arrives at step 10\)/);
    expect(readFileSync(file, "utf8").split("\n")).toHaveLength(5);
  });

  it("writes through a symlink to the file it names: the link stays a link", () => {
    const target = join(dir, "target.txt");
    const link = join(dir, "link.txt");
    writeFileSync(target, "old\n");
    symlinkSync(target, link);
    expect(cli([...RUN, "--step", "49", "--trace", link]).code).toBe(0);
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

  it("checks the trace path before the run: a 10-hour run with an unwritable --trace fails at once", () => {
    const r = cli(["run", "-w", "numa01", "-t", "vega", "--seconds", "36000", "--trace", "/proc/trace.txt"]);
    expect([r.code, r.err]).toEqual([2, "balancenuma: --trace: cannot write '/proc/trace.txt': ENOENT\n"]);
  });

  it.each([
    [["--at", "1"], /--at sets the time of the --proc views; add --proc/],
    [["--proc", "vmstat,maps"], /'maps' is not a view; use a comma-separated list of vmstat, numa_maps, numastat/],
    [["--proc", "vmstat", "--json"], /--proc prints the kernel's text files; leave out --json/],
    [["--proc", "vmstat", "--at", "-1"], /'-1' is not a duration/],
    [["--trace", "/nonexistent-dir/t.txt"], /--trace: directory '\/nonexistent-dir' does not exist/],
    [["--trace", "/etc/hostname/t.txt"], /--trace: directory '\/etc\/hostname' is not a directory/],
    [["--trace", "/tmp"], /--trace: '\/tmp' is a directory; give a file name/],
  ])("rejects %j with one line and exit code 2", (extra, message) => {
    const r = cli([...RUN, ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.out).toBe("");
    expect(existsSync("/nonexistent-dir")).toBe(false);
  });
});
