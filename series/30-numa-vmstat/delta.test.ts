/**
 * Step 30: numa_pte_updates, numa_hint_faults, numa_hint_faults_local and numa_pages_migrated in
 * /proc/vmstat. A real run (scanner, change_prot_numa, hinting faults) at 30 moves them; at 29 the
 * lines do not exist.
 */
import { describe, it, expect } from "vitest";
import { bootAtStep } from "../boot.js";
import { renderProcVmstat, vmstatEntries } from "@balancenuma/vmstat";
import { MAP_ANONYMOUS, MAP_PRIVATE, MPOL_BIND, MPOL_DEFAULT, PROT_READ, PROT_WRITE, nodeMask } from "@balancenuma/include-linux";
import { Script, call, sweep } from "@balancenuma/userspace";

const NAMES = ["numa_pte_updates", "numa_hint_faults", "numa_hint_faults_local", "numa_pages_migrated"];

function run(step: number) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=128M", thp: "never", seed: 3 });
  // A task on node 0 sweeping a buffer first touched under MPOL_BIND to node 1 (remote-memory).
  let buf = 0;
  const len = 4 << 20;
  const program = new Script([
    call("mmap", (u) => (buf = u.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS))),
    call("bind", (u) => u.setMempolicy(MPOL_BIND, nodeMask(1), 64)),
    sweep(() => buf, len, { loops: 1 }),
    call("unbind", (u) => u.setMempolicy(MPOL_DEFAULT, null, 0)),
    sweep(() => buf, len),
  ]);
  k.createProcess({ comm: "remote", program, cpusAllowed: 1n });
  k.runFor(1.6e9);
  return { entries: new Map(vmstatEntries(k.vm, k.features)), text: renderProcVmstat(k.vm, k.features) };
}

describe("step 30: numa-vmstat", () => {
  it("a run at 30 shows the four counters moving; at 29 they are not in /proc/vmstat", () => {
    const s29 = run(29);
    for (const n of NAMES) {
      expect(s29.entries.has(n)).toBe(false);
      expect(s29.text).not.toMatch(new RegExp(`^${n} `, "m"));
    }
    const s30 = run(30);
    for (const n of NAMES) expect(s30.text).toMatch(new RegExp(`^${n} \\d+$`, "m"));
    expect(s30.entries.get("numa_pte_updates")).toBeGreaterThan(0);
    expect(s30.entries.get("numa_hint_faults")).toBeGreaterThan(0);
    // Before migrate-on-reference (31) the default policy has no MOF: nothing migrates yet.
    expect(s30.entries.get("numa_pages_migrated")).toBe(0);
    // The remote buffer's faults happen on node 0 for pages of node 1: not local.
    expect(s30.entries.get("numa_hint_faults_local")).toBeLessThan(s30.entries.get("numa_hint_faults")!);
  });
});
