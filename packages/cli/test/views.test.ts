import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

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

  it.each([
    [["--at", "1"], /--at sets the time of the --proc views; add --proc/],
    [["--proc", "vmstat,maps"], /'maps' is not a view; use a comma-separated list of vmstat, numa_maps, numastat/],
    [["--proc", "vmstat", "--json"], /--proc prints the kernel's text files; leave out --json/],
    [["--proc", "vmstat", "--at", "-1"], /'-1' is not a duration/],
    [["--trace", "/nonexistent-dir/t.txt"], /--trace: directory '\/nonexistent-dir' does not exist/],
  ])("rejects %j with one line and exit code 2", (extra, message) => {
    const r = cli([...RUN, ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.out).toBe("");
    expect(existsSync("/nonexistent-dir")).toBe(false);
  });
});
