/** mm-memory inside a booted kernel (real rmap, mempolicy, THP, scheduler), invariants checked. */
import { describe, it, expect } from "vitest";
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, RUN_EXITED, TOUCH_STREAM, type UserApi, pageToNid } from "@balancenuma/include-linux";
import { NR_ANON_TRANSPARENT_HUGEPAGES, PGFAULT } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

const MiB = 1024 * 1024;
const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const totalFree = (k: ReturnType<typeof bootAtStep>) => k.topology.nodes.reduce((s, n) => s + k.pageAlloc.nodeFreePages(n.id), 0);

describe("mm-memory in a booted kernel", () => {
  it("first touch places 4K pages on the node of the CPU that faults", () => {
    const k = bootAtStep({ debug: true, thp: "never" });
    const t = k.createProcess({ cpusAllowed: 1n << 5n }); // CPU 5 is on node 1
    const u = k.userApi(t);
    const a = u.mmap(0, 4 * MiB, RW, ANON);
    expect(u.touch(a, 1024, 4096, 64, true, TOUCH_STREAM)).toBe(1024);
    expect(k.vm.events[PGFAULT]).toBe(1024);
    expect(t.localTouches).toBe(1024);
    const vma = k.memory.findVma(t.mm!, a)!;
    for (let i = 0; i < 1024; i += 97) expect(pageToNid(k.pages, k.memory.followPage(k, vma, a + i * 4096, 0))).toBe(1);
    k.checkInvariants();
  });

  it("THP faults, fork COW of a huge page, munmap of part of it, exit: all pages come back", () => {
    const k = bootAtStep({ debug: true, thp: "always" });
    const boot = totalFree(k);
    const t = k.createProcess();
    let u = k.userApi(t);
    const a = u.mmap(0, 8 * MiB, RW, ANON);
    expect(u.touch(a, 2048, 4096, 64, true, TOUCH_STREAM)).toBe(2048);
    expect(k.vm.events[PGFAULT]).toBe(4);
    expect(k.vm.nodeStat.reduce((s, n) => s + n[NR_ANON_TRANSPARENT_HUGEPAGES], 0)).toBe(4);
    k.checkInvariants();
    const child = u.fork({
      run(cu: UserApi) {
        cu.touch(a + 5, 1, 4096, 64, true, TOUCH_STREAM);
        return RUN_EXITED;
      },
    });
    k.runFor(20_000_000);
    expect(k.tasks.get(child)!.exitNs).toBeGreaterThanOrEqual(0);
    k.checkInvariants();
    u = k.userApi(t); // the event loop gave the task slices; act as it again with no budget limit
    expect(u.munmap(a + MiB, 2 * MiB)).toBe(0);
    k.checkInvariants();
    expect(u.touch(a, 256, 4096, 64, true, TOUCH_STREAM)).toBe(256);
    k.memory.exitMmap(k, t.mm!);
    t.mm!.mmUsers = 0;
    expect(totalFree(k)).toBe(boot);
  });
});
