/**
 * The memory-policy and migration syscalls as an LTP-style conformance suite would see them on
 * Linux 3.7: return values and errnos for bad arguments, credentials, cpusets, user buffers, and
 * what a handle from outside the event loop does.
 */
import { describe, expect, it } from "vitest";
import {
  CAP_SYS_NICE,
  EACCES,
  EFAULT,
  EINVAL,
  ENOSPC,
  EPERM,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MAX_NUMNODES,
  MPOL_BIND,
  MPOL_DEFAULT,
  MPOL_F_MEMS_ALLOWED,
  MPOL_INTERLEAVE,
  MPOL_MF_MOVE,
  MPOL_MF_MOVE_ALL,
  MPOL_PREFERRED,
  PAGE_SIZE,
  PROT_NONE,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  nodeMask,
  userBuf,
  type UserApi,
} from "@balancenuma/include-linux";
import { renderStatus } from "@balancenuma/kernel";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

function boot(step = 0) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=64M", debug: true, thp: "never" });
  const t = k.createProcess({ comm: "ltp", cpusAllowed: 0b0011n });
  return { k, t, u: k.userApi(t) };
}

/** mmap n written pages. */
function written(u: UserApi, pages: number): number {
  const a = u.mmap(0, pages * PAGE_SIZE, RW, ANON);
  expect(u.touch(a, pages, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(pages);
  return a;
}

describe("get_mempolicy(2) as 3.7", () => {
  it("wants room for MAX_NUMNODES bits in a nodemask, and none without one", () => {
    const { u } = boot();
    const out = { mode: -1, nodemask: 0n };
    expect(u.getMempolicy(out, 2, 0, 0)).toBe(-EINVAL);
    expect(u.getMempolicy(out, MAX_NUMNODES - 1, 0, 0)).toBe(-EINVAL);
    expect(u.getMempolicy(out, MAX_NUMNODES, 0, 0)).toBe(0);
    expect(u.getMempolicy(out, 0, 0, 0)).toBe(0);
    // A nodemask larger than a page of bits is refused when it is copied out.
    expect(u.getMempolicy(out, PAGE_SIZE * 8 + 65, 0, 0)).toBe(-EINVAL);
  });

  it("refuses unknown flag bits above the low 32 of its unsigned long flags", () => {
    const { u } = boot();
    const out = { mode: -1, nodemask: 0n };
    expect(u.getMempolicy(out, MAX_NUMNODES, 0, MPOL_F_MEMS_ALLOWED)).toBe(0);
    expect(u.getMempolicy(out, MAX_NUMNODES, 0, 2 ** 32 + MPOL_F_MEMS_ALLOWED)).toBe(-EINVAL);
    expect(u.getMempolicy(out, MAX_NUMNODES, 0, (1n << 40n) as never)).toBe(-EINVAL);
  });

  it("stores its answers only where the caller can write: EFAULT otherwise", () => {
    const { u } = boot();
    const ro = u.mmap(0, PAGE_SIZE, PROT_READ, ANON);
    const rw = u.mmap(0, PAGE_SIZE, RW, ANON);
    expect(u.setMempolicy(MPOL_BIND, nodeMask(1), 3)).toBe(0);
    const out = { mode: -1, nodemask: 0n, at: { mode: rw, nodemask: rw + 8 } };
    expect(u.getMempolicy(out, MAX_NUMNODES, 0, 0)).toBe(0);
    expect(out).toMatchObject({ mode: MPOL_BIND, nodemask: nodeMask(1) });
    expect(u.getMempolicy({ mode: -1, nodemask: 0n, at: { mode: ro } }, MAX_NUMNODES, 0, 0)).toBe(-EFAULT);
    expect(u.getMempolicy({ mode: -1, nodemask: 0n, at: { nodemask: ro } }, MAX_NUMNODES, 0, 0)).toBe(-EFAULT);
    expect(u.getMempolicy({ mode: -1, nodemask: 0n, at: { nodemask: 0x1000 } }, MAX_NUMNODES, 0, 0)).toBe(-EFAULT);
  });
});

describe("nodemask arguments by address", () => {
  it("set_mempolicy, mbind and migrate_pages read the mask from the caller's memory: EFAULT when it is not mapped readable", () => {
    const { u } = boot();
    const a = written(u, 4);
    const none = u.mmap(0, PAGE_SIZE, PROT_NONE, ANON);
    const fresh = u.mmap(0, PAGE_SIZE, PROT_READ, ANON);
    expect(u.setMempolicy(MPOL_BIND, userBuf(none, nodeMask(1)), 3)).toBe(-EFAULT);
    expect(u.setMempolicy(MPOL_BIND, userBuf(0x10, nodeMask(1)), 3)).toBe(-EFAULT);
    // Never-written memory is readable (the zero page is mapped for the read).
    expect(u.setMempolicy(MPOL_BIND, userBuf(fresh, nodeMask(1)), 3)).toBe(0);
    expect(u.mbind(a, PAGE_SIZE, MPOL_BIND, userBuf(none, nodeMask(0)), 3, 0)).toBe(-EFAULT);
    expect(u.mbind(a, PAGE_SIZE, MPOL_BIND, userBuf(a, nodeMask(0)), 3, 0)).toBe(0);
    expect(u.migratePages(0, 3, userBuf(none, nodeMask(0)), nodeMask(1))).toBe(-EFAULT);
    expect(u.migratePages(0, 3, nodeMask(0), userBuf(none, nodeMask(1)))).toBe(-EFAULT);
    // A mask that is no buffer at all.
    expect(u.setMempolicy(MPOL_BIND, "1" as never, 3)).toBe(-EFAULT);
  });

  it("a mask longer than MAX_NUMNODES bits is read to its end: the tail must be clear and readable", () => {
    const { u } = boot();
    const end = u.mmap(0, PAGE_SIZE, RW, ANON) + PAGE_SIZE;
    const guard = u.mmap(end, PAGE_SIZE, PROT_NONE, ANON | 0x10);
    expect(guard).toBe(end);
    // 2048 bits = 256 bytes: they fit before the guard page only if the buffer starts 256 bytes before it.
    expect(u.setMempolicy(MPOL_BIND, userBuf(end - 256, nodeMask(1)), 2049)).toBe(0);
    expect(u.setMempolicy(MPOL_BIND, userBuf(end - 128, nodeMask(1)), 2049)).toBe(-EFAULT);
    expect(u.setMempolicy(MPOL_BIND, nodeMask(1) | (1n << 1500n), 2049)).toBe(-EINVAL);
  });
});

describe("migrate_pages(2) as 3.7", () => {
  it("maxnode -1 and values no register holds are EINVAL, not exceptions", () => {
    const { u } = boot();
    expect(u.migratePages(0, -1, nodeMask(0), nodeMask(1))).toBe(-EINVAL);
    expect(u.migratePages(0, 2.5, nodeMask(0), nodeMask(1))).toBe(-EINVAL);
    expect(u.migratePages(0, Number.NaN, nodeMask(0), nodeMask(1))).toBe(-EINVAL);
    expect(u.migratePages(0, 2 ** 70, nodeMask(0), nodeMask(1))).toBe(-EINVAL);
    // NULL masks are read as empty whatever maxnode is: nothing to move.
    expect(u.migratePages(0, -1, null, null)).toBe(0);
  });
});

describe("mbind(2) mode as an unsigned long", () => {
  it("a mode word with bits above 32 is an unknown mode", () => {
    const { u } = boot();
    const a = written(u, 1);
    expect(u.mbind(a, PAGE_SIZE, MPOL_BIND, nodeMask(0), 3, 0)).toBe(0);
    expect(u.mbind(a, PAGE_SIZE, 2 ** 32 + MPOL_BIND, nodeMask(0), 3, 0)).toBe(-EINVAL);
    // flags is an unsigned int: the register's high half is not seen.
    expect(u.mbind(a, PAGE_SIZE, MPOL_BIND, nodeMask(0), 3, 2 ** 32)).toBe(0);
  });
});

describe("credentials", () => {
  it("fork copies them: a child of a parent without CAP_SYS_NICE cannot use MPOL_MF_MOVE_ALL", () => {
    const { k, t, u } = boot();
    const a = written(u, 1);
    expect(u.capset(0n, 0n)).toBe(0);
    const child = k.userApi(u.fork());
    expect(child.task.cred.capEffective).toBe(0n);
    expect(child.movePages(0, [a], [1], [], MPOL_MF_MOVE_ALL)).toBe(-EPERM);
    expect(child.mbind(a, PAGE_SIZE, MPOL_BIND, nodeMask(1), 3, MPOL_MF_MOVE_ALL)).toBe(-EPERM);
    // capset cannot give back what the permitted set lost.
    expect(u.capset(1n << BigInt(CAP_SYS_NICE), 1n << BigInt(CAP_SYS_NICE))).toBe(-EPERM);
    expect(t.cred.capPermitted).toBe(0n);
  });

  it("setuid away from root drops the capabilities; an unprivileged caller may not move another user's memory", () => {
    const { k, u } = boot();
    const victim = k.userApi(u.fork());
    const a = written(victim, 2);
    const other = k.userApi(u.fork());
    expect(other.setuid(1000)).toBe(0);
    expect([other.getuid(), other.geteuid()]).toEqual([1000, 1000]);
    expect(other.task.cred.capEffective).toBe(0n);
    expect(other.setuid(0)).toBe(-EPERM);
    expect(other.migratePages(victim.task.pid, 3, nodeMask(0), nodeMask(1))).toBe(-EPERM);
    expect(other.movePages(victim.task.pid, [a], [1], [], MPOL_MF_MOVE)).toBe(-EPERM);
    expect(other.movePages(victim.task.pid, [a], null, [], 0)).toBe(-EPERM);
    // The same user may.
    expect(victim.setuid(1000)).toBe(0);
    const status: number[] = [];
    expect(other.movePages(victim.task.pid, [a], null, status, 0)).toBe(0);
    expect(status).toEqual([0]);
  });

  it("seteuid (setresuid with -1) keeps the saved root uid, so the effective uid and capabilities can come back", () => {
    const { u } = boot();
    expect(u.setresuid(-1, 1000, -1)).toBe(0);
    expect(u.task.cred).toMatchObject({ uid: 0, euid: 1000, suid: 0, capEffective: 0n });
    expect(u.mbind(written(u, 1), PAGE_SIZE, MPOL_BIND, nodeMask(1), 3, MPOL_MF_MOVE_ALL)).toBe(-EPERM);
    expect(u.setresuid(-1, 0, -1)).toBe(0);
    expect(u.task.cred.capEffective).toBe(u.task.cred.capPermitted);
    expect(u.setresuid(-1, 4242, -1)).toBe(0);
    expect(u.setresuid(4243, -1, -1)).toBe(-EPERM);
  });
});

describe("cpusets", () => {
  it("mems_allowed is settable, shown in /proc/PID/status, and consulted by the syscalls and the allocator", () => {
    const { k, t, u } = boot();
    expect(u.setMempolicy(MPOL_INTERLEAVE, nodeMask(0, 1), 3)).toBe(0);
    expect(k.setMemsAllowed(t, nodeMask(1))).toBe(0);
    const status = renderStatus(k, t);
    expect(status).toContain(`Mems_allowed:\t${"00000000,".repeat(31)}00000002\n`);
    expect(status).toContain("Mems_allowed_list:\t1\n");
    expect(status).toContain("Cpus_allowed_list:\t0-1\n");
    // The interleave policy was rebound onto the cpuset; get_mempolicy(MPOL_F_MEMS_ALLOWED) shows it.
    const out = { mode: -1, nodemask: 0n };
    expect(u.getMempolicy(out, MAX_NUMNODES, 0, 0)).toBe(0);
    expect(out).toEqual({ mode: MPOL_INTERLEAVE, nodemask: nodeMask(1) });
    expect(u.getMempolicy(out, MAX_NUMNODES, 0, MPOL_F_MEMS_ALLOWED)).toBe(0);
    expect(out.nodemask).toBe(nodeMask(1));
    // A preferred node outside the cpuset is no node; user pages land within it whatever the CPU.
    expect(u.setMempolicy(MPOL_PREFERRED, nodeMask(0), 3)).toBe(-EINVAL);
    expect(u.setMempolicy(MPOL_DEFAULT, null, 0)).toBe(0);
    const a = written(u, 8);
    const st: number[] = [];
    expect(
      u.movePages(
        0,
        Array.from({ length: 8 }, (_, i) => a + i * PAGE_SIZE),
        null,
        st,
        0,
      ),
    ).toBe(0);
    expect(st).toEqual(Array(8).fill(1));
    // move_pages to a node outside the target's cpuset; migrate_pages there without CAP_SYS_NICE.
    expect(u.movePages(0, [a], [0], [], MPOL_MF_MOVE)).toBe(-EACCES);
    expect(u.capset(0n, 0n)).toBe(0);
    expect(u.migratePages(0, 3, nodeMask(1), nodeMask(0))).toBe(-EPERM);
    expect(k.setMemsAllowed(t, 0n)).toBe(-ENOSPC);
    expect(k.setMemsAllowed(t, nodeMask(2))).toBe(-EINVAL);
  });

  it("move_pages into the target's cpuset works from a caller in another cpuset (the target pages are __GFP_THISNODE; found by pnpm fuzz)", () => {
    const { k, t, u } = boot();
    const a = written(u, 1);
    const child = k.userApi(u.fork());
    expect(k.setMemsAllowed(t, nodeMask(0))).toBe(0);
    expect(k.setMemsAllowed(child.task, nodeMask(1))).toBe(0);
    child.touch(a, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY); // the child's own copy (on node 1: its cpuset)
    const st: number[] = [];
    expect(u.movePages(child.task.pid, [a], [0], st, MPOL_MF_MOVE)).toBe(-EACCES); // node 0 is outside the child's cpuset
    expect(u.movePages(0, [a], [1], st, MPOL_MF_MOVE)).toBe(-EACCES); // node 1 is outside the caller's
    expect(child.movePages(0, [a], [1], st, MPOL_MF_MOVE)).toBe(0);
    // The caller (cpuset of node 0) moves the child's page within the child's cpuset, wherever its own is.
    expect(u.movePages(child.task.pid, [a], [1], st, MPOL_MF_MOVE)).toBe(0);
    expect(st).toEqual([1]);
    expect(k.setMemsAllowed(child.task, nodeMask(0, 1))).toBe(0);
    expect(u.movePages(child.task.pid, [a], [0], st, MPOL_MF_MOVE)).toBe(0);
    expect(u.movePages(child.task.pid, [a], [1], st, MPOL_MF_MOVE)).toBe(0); // to node 1, outside the caller's cpuset
    expect(st).toEqual([1]);
    k.checkInvariants();
  });
});

describe("move_pages(2) arrays by address", () => {
  it("reads pages and nodes and writes status in the caller's memory: EFAULT where it cannot", () => {
    const { u } = boot();
    const a = written(u, 2);
    const buf = u.mmap(0, PAGE_SIZE, RW, ANON);
    const ro = u.mmap(0, PAGE_SIZE, PROT_READ, ANON);
    const status: number[] = [];
    expect(u.movePages(0, userBuf(buf, [a, a + PAGE_SIZE]), null, userBuf(buf + 64, status), 0)).toBe(0);
    expect(status).toEqual([0, 0]);
    expect(u.movePages(0, userBuf(0x2000, [a]), null, [], 0)).toBe(-EFAULT);
    expect(u.movePages(0, [a], null, userBuf(ro, []), 0)).toBe(-EFAULT);
    expect(u.movePages(0, [a], userBuf(0x2000, [1]), [], MPOL_MF_MOVE)).toBe(-EFAULT);
    // A nodes array shorter than pages is read past its end.
    expect(u.movePages(0, [a, a + PAGE_SIZE], [1], [], MPOL_MF_MOVE)).toBe(-EFAULT);
    expect(u.movePages(0, "x" as never, null, [], 0)).toBe(-EFAULT);
    expect(u.movePages(0, [Number.NaN], null, [], 0)).toBe(-EFAULT);
    // A page made PROT_NONE after it was written: its pte is still there, but the MMU refuses it.
    expect(u.mprotect(buf, PAGE_SIZE, PROT_NONE)).toBe(0);
    expect(u.movePages(0, userBuf(buf, [a]), null, [], 0)).toBe(-EFAULT);
    expect(u.movePages(0, [a], null, userBuf(buf + 64, []), 0)).toBe(-EFAULT);
  });
});

describe("handles from outside the event loop", () => {
  it("stay bound to their task when another handle was made since", () => {
    const { k, u } = boot();
    const b = k.createProcess({ comm: "b", cpusAllowed: 0b1100n });
    const ub = k.userApi(b);
    // Task a's default policy allocates on a's CPU node (0), b's on node 1, whichever handle came last.
    const pa = written(u, 1);
    const pb = written(ub, 1);
    const sa: number[] = [];
    const sb: number[] = [];
    expect(u.movePages(0, [pa], null, sa, 0)).toBe(0);
    expect(ub.movePages(0, [pb], null, sb, 0)).toBe(0);
    expect([sa, sb]).toEqual([[0], [1]]);
    expect(u.getcpu().node).toBe(0);
    expect(ub.getcpu().node).toBe(1);
  });

  it("fork gives a pid that userApi takes, and a child driven from outside can exit", () => {
    const { k, u } = boot();
    const pid = u.fork();
    const child = k.userApi(pid);
    expect(child.task.pid).toBe(pid);
    expect(child.task.parent).toBe(u.task);
    child.exit(3);
    k.runFor(2 * 4_000_000);
    expect(child.task.exitNs).toBeGreaterThanOrEqual(0);
    expect(child.task.exitCode).toBe(3);
    expect(k.tasks.get(pid)?.mm).not.toBeNull();
  });
});
