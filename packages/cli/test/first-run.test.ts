import { describe, expect, it } from "vitest";
import { runWorkload } from "@balancenuma/workloads";
import { conclusion, memoryByNode } from "../src/first-run.js";
import { cli } from "./helpers.js";

describe("the first run (run with no option)", () => {
  it("puts remote-memory at step 0 and step 49 side by side, concludes from the numbers and says what to try next", async () => {
    const r = await cli([]);
    expect(r.code).toBe(0);
    const out = r.out;
    expect(out).toMatch(/^ +step 0 +step 49$/m);
    expect(out).toMatch(/^machine default: 2 nodes x \(4 CPUs, 2 GiB\)/m);
    const row = (label: string) => new RegExp(`^${label} +(\\S+) +(\\S+)$`, "m").exec(out)!.slice(1);
    // Step 0 leaves every page where it was first touched; step 49 moves memory to the thread's node.
    expect(row("memory on node 0, MiB")).toEqual(["512.0", expect.any(String)]);
    expect(Number(row("memory on node 1, MiB")[1])).toBeGreaterThan(0);
    expect(row("local touches, %")[0]).toBe("0.00");
    expect(Number(row("local touches, %")[1])).toBeGreaterThan(30);
    expect(row("NUMA pages migrated")[0]).toBe("absent");
    expect(Number(row("NUMA pages migrated")[1])).toBeGreaterThan(0);
    expect(out).toMatch(/^Step 49 moved \d+ pages \(\d+ MiB\) onto node 1: local touches 0\.00% -> [\d.]+%, throughput [\d.]+x/m);
    expect(out).toMatch(/^ {2}balancenuma bisect 'numa_pages_migrated > 0' +which step/m);
    expect(out).toMatch(/^ {2}balancenuma compare 0 49 /m);
    expect((await cli(["run"])).out).toBe(out);
    // Any option runs one kernel, as before.
    expect((await cli(["run", "--step", "0", "--seconds", "0.1"])).out).toMatch(/^workload remote-memory on machine default, step 0 /);
  });

  it("concludes from the numbers: a run that does not move memory, a fixed-work run judged by elapsed time", () => {
    const small = { topology: "nodes=2,cpus=2,mem=128M", seconds: 2 };
    const at = (step: number, w = "remote-memory", extra = {}) => runWorkload({ ...small, workload: w, step, ...extra }).report;
    expect(conclusion(at(0), at(29))).toMatch(/^Step 29 moved no memory: local touches 0\.00% -> 0\.00%, throughput 1\.0\dx/);
    const after = at(49);
    expect(conclusion(at(0), after)).toMatch(/^Step 49 moved \d+ pages \(\d+ MiB\) onto node 1: /);
    // Without the migration counter (as before step 30) the memory per node still tells the move.
    const { numa_pages_migrated: _, ...vmstat } = after.vmstat;
    expect(conclusion(at(0), { ...after, vmstat })).toMatch(/^Step 49 ended with \d+ MiB more onto node 1: /);
    const numa02 = conclusion(at(0, "numa02", { scale: 1 / 64 }), at(49, "numa02", { scale: 1 / 64 }));
    expect(numa02).toMatch(/elapsed [\d.]+ -> [\d.]+ s \([\d.]+x as fast\)/);
    expect(memoryByNode(at(0))).toEqual([32, 0]);
  });
});
