import { describe, expect, it } from "vitest";
import { main } from "./main.js";

function cli(...args: string[]) {
  let out = "";
  let err = "";
  const code = main(args, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false });
  return { code, out, err };
}

describe("balancenuma command line", () => {
  it.each([
    [["run", "--step", "99"], /'99' is not a step; use a number from 0 to \d+/],
    [["run", "--step", "-1"], /not a step/],
    [["run", "--seconds", "0"], /not a duration/],
    [["run", "--seed", "x"], /not a seed/],
    [["run", "--topology", "nodes=2,cpus=4+4+4"], /3 values for 2 nodes/],
    [["run", "--topology", "moon"], /unknown topology 'moon'/],
    [["run", "--workload", "nope"], /unknown workload 'nope'; built-ins: remote-memory, private-halves/],
    [["run", "--sysctl", "vm.nothing=1"], /unknown sysctl 'vm.nothing'/],
    [["run", "--sysctl", "novalue"], /not name=value/],
    [["run", "--thp", "sometimes"], /not a THP mode/],
    [["run", "--frobnicate"], /unknown option '--frobnicate'/],
    [["fly"], /unknown command 'fly'|too many arguments/],
  ])("%j is a usage error: one line, exit 2, no stack", (args, msg) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe("");
  });

  it("lists workloads, machines and the series", () => {
    expect(cli("workloads").out).toMatch(/^remote-memory\s+one thread pinned/m);
    expect(cli("machines").out).toMatch(/^vega\s+/m);
    expect(cli("series").out).toMatch(/^\s+0\s+baseline\s+Linux 3\.7-rc6/m);
  });
});
