/** mm-migrate inside a booted kernel (real mm-memory, rmap, THP, mempolicy), invariants checked. */
import { describe, it, expect } from "vitest";
import {
  HPAGE_SIZE,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MPOL_MF_MOVE,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_STREAM,
  type Task,
  type UserApi,
} from "@balancenuma/include-linux";
import { PGMIGRATE_SUCCESS, THP_SPLIT } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

/** A process on CPU 0 (node 0) with n pages touched; returns its addresses. */
function setup(opts: Parameters<typeof bootAtStep>[0], n: number, bytes = n * PAGE_SIZE) {
  const k = bootAtStep({ debug: true, thp: "never", ...opts });
  const t: Task = k.createProcess({ cpusAllowed: 1n });
  const u: UserApi = k.userApi(t);
  const a = u.mmap(0, bytes, RW, ANON);
  expect(u.touch(a, n, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(n);
  const addrs = Array.from({ length: n }, (_, i) => a + i * PAGE_SIZE);
  return { k, t, u, a, addrs };
}

describe("page migration in a booted kernel", () => {
  it("move_pages moves pages to the asked node; the process keeps using them without faults", () => {
    const { k, u, addrs } = setup({}, 64);
    const status: number[] = [];
    expect(
      u.movePages(
        0,
        addrs,
        addrs.map(() => 1),
        status,
        MPOL_MF_MOVE,
      ),
    ).toBe(0);
    expect(status).toEqual(addrs.map(() => 1));
    const q: number[] = [];
    expect(u.movePages(0, addrs, null, q, 0)).toBe(0);
    expect(q).toEqual(addrs.map(() => 1));
    const faults = k.memory.stats.anonFaults;
    expect(u.touch(addrs[0], 64, PAGE_SIZE, 64, true, TOUCH_STREAM)).toBe(64);
    expect(k.memory.stats.anonFaults).toBe(faults);
    k.checkInvariants();
    k.runFor(10_000_000);
  });

  it("counts pgmigrate_success and traces mm_migrate_pages only with the step 09/10 gates", () => {
    const off = setup({ trace: ["migrate:mm_migrate_pages"] }, 3);
    off.u.movePages(0, off.addrs, [1, 1, 1], [], MPOL_MF_MOVE);
    expect(off.k.vm.events[PGMIGRATE_SUCCESS]).toBe(0);
    expect(off.k.trace.events).toHaveLength(0);

    const on = setup({ trace: ["migrate:mm_migrate_pages"], features: { migrateStats: true, migrateTracepoint: true } }, 3);
    on.u.movePages(0, on.addrs, [1, 1, 1], [], MPOL_MF_MOVE);
    expect(on.k.vm.events[PGMIGRATE_SUCCESS]).toBe(3);
    expect(on.k.trace.events.map((e) => `${e.event} ${e.text}`)).toEqual([
      "migrate:mm_migrate_pages nr_succeeded=3 nr_failed=0 mode=MIGRATE_SYNC reason=syscall_or_cpuset",
    ]);
    expect(on.k.trace.render()).toContain("mm_migrate_pages: nr_succeeded=3 nr_failed=0 mode=MIGRATE_SYNC reason=syscall_or_cpuset");
  });

  it("move_pages on a THP splits it first and moves the subpages asked for", () => {
    const { k, u, a } = setup({ thp: "always" }, 1, HPAGE_SIZE);
    const pages = [a, a + 200 * PAGE_SIZE];
    const status: number[] = [];
    expect(u.movePages(0, pages, [1, 1], status, MPOL_MF_MOVE)).toBe(0);
    expect(status).toEqual([1, 1]);
    expect(k.vm.events[THP_SPLIT]).toBe(1);
    const q: number[] = [];
    u.movePages(0, [a, a + PAGE_SIZE, a + 200 * PAGE_SIZE], null, q, 0);
    expect(q).toEqual([1, 0, 1]);
    k.checkInvariants();
  });

  it("migrate_pages(2) moves a forked child's shared pages for both processes", () => {
    const { k, t, u, addrs } = setup({}, 16);
    const childPid = u.fork({ run: (cu) => cu.sleep(1e12) }, "child");
    k.userApi(t);
    expect(u.migratePages(childPid, 3, 1n, 2n)).toBe(0);
    const q: number[] = [];
    expect(u.movePages(0, addrs, null, q, 0)).toBe(0);
    expect(q).toEqual(addrs.map(() => 1));
    k.checkInvariants();
    k.runFor(10_000_000);
  });

  it("the anon_vma lock follows the step gates", () => {
    for (const [gate, kind] of [
      ["mutex", "mutex"],
      ["rwsem", "rwsem"],
      ["rwsem-read-walks", "rwsem"],
    ] as const) {
      const { k, t, u, addrs } = setup({ features: { anonVmaLock: gate } }, 4);
      u.movePages(0, addrs, [1, 1, 1, 1], [], MPOL_MF_MOVE);
      const root = t.mm!.vmas.find((v) => v.anonVma)!.anonVma!.root;
      expect(root.lock.kind).toBe(kind);
      expect(root.lock.stats.acquisitions).toBeGreaterThan(4);
      k.checkInvariants();
    }
  });
});
