/**
 * Step 42 (numa-balancing-control): SCHED_FEAT(NUMA) defaults to off; numa_policy_init ends with
 * check_numabalancing_enable, which on a NUMA machine logs "Enabling automatic NUMA balancing..."
 * and turns it on, unless numa_balancing=enable|disable decided already.
 */
import { describe, expect, it } from "vitest";
import { bootAtStep } from "../boot.js";

const MSG = "Enabling automatic NUMA balancing. Configure with numa_balancing= or sysctl";

function boot(step: number, topology: string, cmdline = "") {
  const k = bootAtStep({ step, topology, cmdline });
  k.createProcess({ comm: "init" }); // a first task, as any booted system has
  return { numa: k.sched.schedFeat("NUMA"), log: k.log.map((l) => `${l.level}: ${l.text}`) };
}

const TWO = "nodes=2,cpus=2,mem=128M";
const ONE = "nodes=1,cpus=2,mem=128M";

describe("step 42: enabling and disabling NUMA balancing at boot", () => {
  it("a 2-node machine logs the message and has NUMA on at 42; at 41 NUMA is on silently", () => {
    expect(boot(41, TWO)).toEqual({ numa: true, log: [] });
    expect(boot(42, TWO)).toEqual({ numa: true, log: [`info: ${MSG}`] });
  });

  it("a 1-node machine: on at 41, off at 42 (no message) unless numa_balancing=enable", () => {
    expect(boot(41, ONE).numa).toBe(true);
    expect(boot(42, ONE)).toEqual({ numa: false, log: [] });
    expect(boot(42, ONE, "numa_balancing=enable")).toEqual({ numa: true, log: [] });
  });

  it("numa_balancing=disable keeps it off without the message; a bad value warns and also overrides", () => {
    expect(boot(42, TWO, "numa_balancing=disable")).toEqual({ numa: false, log: [] });
    expect(boot(42, TWO, "numa_balancing=sometimes")).toEqual({ numa: false, log: ["warning: Unable to parse numa_balancing="] });
    // Before the step the parameter does not exist (left to init).
    expect(boot(41, TWO, "numa_balancing=disable")).toEqual({ numa: true, log: [] });
  });
});
