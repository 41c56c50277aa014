import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));

function runJson(args: string[]): string {
  let out = "";
  const code = main(["run", "--json", ...args], { out: (s) => (out += s), err: () => {}, isTTY: false });
  expect(code).toBe(0);
  return out;
}

describe("balancenuma run", () => {
  const args = ["--workload", "private-halves", "--seconds", "1", "--seed", "42"];

  it("gives byte-identical JSON for the same inputs and seed, in one process and in a fresh one", () => {
    const a = runJson(args);
    const b = runJson(args);
    expect(b).toBe(a);
    const fresh = execFileSync(process.execPath, ["--conditions=source", "--import", "tsx", "packages/cli/src/bin.ts", "run", "--json", ...args], {
      cwd: root,
      encoding: "utf8",
    });
    expect(fresh).toBe(a);
  });

  it("shows the kernel's boot warnings on stderr: an unknown numa_balancing= value is not silent (and leaves balancing off)", () => {
    const run = (step: string, cmdline: string) => {
      let out = "";
      let err = "";
      const code = main(["run", "--json", "--step", step, "-t", "nodes=2,cpus=2,mem=128M", "--thp", "never", "--seconds", "3", "--cmdline", cmdline], { out: (s) => (out += s), err: (s) => (err += s), isTTY: false });
      return { code, err, migrated: (JSON.parse(out) as { mmtests: { numaPagesMigrated: number } }).mmtests.numaPagesMigrated };
    };
    const maybe = run("49", "numa_balancing=maybe");
    expect(maybe).toMatchObject({ code: 0, err: "balancenuma: kernel warning at boot: Unable to parse numa_balancing=\n", migrated: 0 });
    expect(run("49", "numa_balancing=enable")).toMatchObject({ err: "" });
    expect(run("49", "numa_balancing=enable").migrated).toBeGreaterThan(0);
    // Before step 42 the kernel has no numa_balancing= parameter: Linux hands unknown words to init, silently.
    expect(run("41", "numa_balancing=maybe").err).toBe("");
  });

  it("prints a human summary with times, per-node memory and counters", () => {
    let out = "";
    expect(main(["run", "--seconds", "1"], { out: (s) => (out += s), err: () => {}, isTTY: false })).toBe(0);
    expect(out).toMatch(/^workload remote-memory on machine default, step 0/m);
    expect(out).toMatch(/elapsed 1\.000 s\s+user [\d.]+ s\s+system [\d.]+ s/);
    expect(out).toMatch(/node0 MiB\s+node1 MiB/);
    expect(out).toMatch(/^\s+pgfault\s+\d+/m);
  });
});
