import { describe, expect, it } from "vitest";
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, TOUCH_STREAM } from "@balancenuma/include-linux";
import { bootAtStep } from "../boot.js";
import { InvariantError } from "@balancenuma/kernel";

const small = "nodes=2,cpus=2,mem=64M";

function touched(k = bootAtStep({ topology: small, debug: true })) {
  const t = k.createProcess({ comm: "t" });
  const u = k.userApi(t);
  const addr = u.mmap(0, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  expect(u.touch(addr, 1024, 4096, 4096, true, TOUCH_STREAM)).toBe(1024);
  return { k, t, addr };
}

describe("bootKernel", () => {
  it("writes kernel.sched_* sysctls through to the scheduler and rejects unknown or out-of-range ones", () => {
    const k = bootAtStep({ topology: small, sysctl: { "kernel.sched_latency_ns": 12_000_000 } });
    expect(k.sched.tunables.latencyNs).toBe(12_000_000);
    expect(k.sysctl.get("kernel.sched_latency_ns")).toBe(12_000_000);
    expect(() => bootAtStep({ sysctl: { "kernel.nope": 1 } })).toThrow(/unknown sysctl 'kernel.nope'/);
    expect(() => bootAtStep({ sysctl: { "kernel.sched_latency_ns": 5 } })).toThrow(/from 100000 to 1000000000/);
  });

  it("forces gates on top of a step", () => {
    expect(bootAtStep({ topology: small }).features.anonVmaLock).toBe("mutex");
    expect(bootAtStep({ topology: small, features: { anonVmaLock: "rwsem" } }).features.anonVmaLock).toBe("rwsem");
  });

  it("runs processes and accounts their time as user and system time", () => {
    const { k, t } = touched();
    expect(t.stimeNs).toBeGreaterThan(0); // 1024 first-touch faults
    expect(t.utimeNs).toBeGreaterThan(0);
    k.runFor(40_000_000);
    expect(k.time).toBe(40_000_000);
  });
});

describe("invariants (debug mode)", () => {
  it("hold after faults, fork and exit", () => {
    const { k } = touched();
    expect(() => {
      k.checkInvariants();
    }).not.toThrow();
  });

  it("catch a page that is mapped but counted wrong", () => {
    const { k, t, addr } = touched();
    const pfn = k.memory.followPage(k, k.memory.findVma(t.mm!, addr)!, addr, 0);
    expect(pfn).toBeGreaterThanOrEqual(0);
    k.pages._mapcount[pfn]++;
    expect(() => {
      k.checkInvariants();
    }).toThrow(/mapcount 2 but 1 page-table entries map it/);
  });

  it("throw an InvariantError that names the simulated time, and count the checks", () => {
    const { k } = touched();
    const before = k.invariantChecks;
    k.vm.nodeStat[0][0] += 1;
    expect(() => {
      k.checkInvariants();
    }).toThrow(InvariantError);
    expect(() => {
      k.checkInvariants();
    }).toThrow(/\(at \d+\.\d{6} s simulated\)$/);
    expect(k.invariantChecks).toBe(before + 2);
  });

  it("catch a page whose rmap does not lead back to its mapping", () => {
    const { k, t, addr } = touched();
    const pfn = k.memory.followPage(k, k.memory.findVma(t.mm!, addr)!, addr, 0);
    k.pages.index[pfn] += 1;
    expect(() => {
      k.checkInvariants();
    }).toThrow(/index says/);
  });

  it("catch free memory that the allocator and the counters disagree on", () => {
    const { k } = touched();
    k.vm.nodeStat[0][0] += 1;
    expect(() => {
      k.checkInvariants();
    }).toThrow(/NR_FREE_PAGES/);
  });

  it("catch a counter going down", () => {
    const { k } = touched();
    k.checkInvariants();
    k.vm.events[11] -= 1; // PGFAULT
    expect(() => {
      k.checkInvariants();
    }).toThrow(/went down/);
  });
});
