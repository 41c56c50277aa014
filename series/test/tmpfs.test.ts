/**
 * tmpfs files and the page cache as 3.7 has them: open/ftruncate/close/unlink on /dev/shm and
 * /tmp with 3.7's errnos; MAP_SHARED maps the cache pages in place, MAP_PRIVATE maps them
 * read-only and the first write copies; cache pages follow the faulting task's policy or the
 * inode's shared policy; numa_maps prints `file=PATH`; truncation unmaps and frees; NUMA hinting
 * treats a file page like a shmem page (migrated when mapped once, left alone when shared).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  EACCES,
  EBADF,
  EEXIST,
  EFAULT,
  EINVAL,
  EISDIR,
  ENAMETOOLONG,
  ENOENT,
  MAP_PRIVATE,
  MAP_SHARED,
  MPOL_BIND,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  PAGE_SIZE,
  PG_buddy,
  PROT_READ,
  PROT_WRITE,
  TOUCH_LATENCY,
  nodeMask,
  pageMapcount,
  type UserApi,
  pageToNid,
} from "@balancenuma/include-linux";
import { pmdTransHuge } from "@balancenuma/arch-x86-pgtable";
import { renderNumaMaps } from "@balancenuma/kernel";
import { NR_ANON_PAGES, NUMA_PAGE_MIGRATE } from "@balancenuma/vmstat";
import { bootAtStep } from "../boot.js";

const RW = PROT_READ | PROT_WRITE;
const N = 8;
const SIZE = N * PAGE_SIZE;

/** Two processes on node 1 (CPUs 2-3) and a file /dev/shm/f of N pages, open read-write in the first. */
function boot(step = 0) {
  const k = bootAtStep({ step, topology: "nodes=2,cpus=2,mem=64M", debug: true, thp: "always" });
  const u = k.userApi(k.createProcess({ comm: "a", cpusAllowed: 0b1100n }));
  const v = k.userApi(k.createProcess({ comm: "b", cpusAllowed: 0b1100n }));
  const fd = u.open("/dev/shm/f", O_RDWR | O_CREAT);
  expect(u.ftruncate(fd, SIZE)).toBe(0);
  return { k, u, v, fd };
}
type K = ReturnType<typeof boot>["k"];

/** The pfn each of n pages from `a` maps in u's address space (-1: none). */
const pfns = (k: K, u: UserApi, a: number, n = N) =>
  Array.from({ length: n }, (_, i) => k.memory.followPage(k, k.memory.findVma(u.task.mm!, a)!, a + i * PAGE_SIZE, 0));
const isFree = (k: K, pfn: number) => (k.pages.flags[pfn] & PG_buddy) !== 0;

describe("tmpfs files (open, ftruncate, close, unlink)", () => {
  it("answers bad arguments with 3.7's errnos", () => {
    const { u, fd } = boot();
    expect(fd).toBe(3);
    expect(u.open("/dev/shm/none", O_RDWR)).toBe(-ENOENT);
    expect(u.open("/etc/passwd", O_RDONLY)).toBe(-ENOENT); // no other file system in the model
    expect(u.open("relative", O_RDWR | O_CREAT)).toBe(-ENOENT);
    expect(u.open("", O_RDWR | O_CREAT)).toBe(-ENOENT);
    expect(u.open("/dev/shm/f", O_RDWR | O_CREAT | O_EXCL)).toBe(-EEXIST);
    expect(u.open("/dev/shm", O_RDWR)).toBe(-EISDIR);
    expect(u.open("/tmp/" + "x".repeat(256), O_RDWR | O_CREAT)).toBe(-ENAMETOOLONG);
    expect(u.open(42 as never, O_RDWR)).toBe(-EFAULT); // a path that is no string
    expect(u.ftruncate(fd, -1)).toBe(-EINVAL);
    expect(u.ftruncate(99, PAGE_SIZE)).toBe(-EBADF);
    expect(u.ftruncate(99, -1)).toBe(-EINVAL); // the length is checked before the descriptor
    const ro = u.open("/dev/shm/f", O_RDONLY);
    expect(ro).toBe(4);
    expect(u.ftruncate(ro, 0)).toBe(-EINVAL); // not open for writing
    expect(u.close(ro)).toBe(0);
    expect(u.close(ro)).toBe(-EBADF);
    expect(u.close(-1)).toBe(-EBADF);
    expect(u.unlink("/tmp/none")).toBe(-ENOENT);
    expect(u.unlink("/tmp")).toBe(-EISDIR);
    // mmap of a file: offset alignment first, then the descriptor, then the access mode.
    expect(u.mmap(0, SIZE, RW, MAP_SHARED, fd, 1)).toBe(-EINVAL);
    expect(u.mmap(0, SIZE, RW, MAP_SHARED, 77, 0)).toBe(-EBADF);
    expect(u.mmap(0, SIZE, RW, MAP_SHARED)).toBe(-EBADF);
    const r = u.open("/dev/shm/f", O_RDONLY);
    const w = u.open("/dev/shm/f", O_WRONLY);
    expect(u.mmap(0, SIZE, RW, MAP_SHARED, r, 0)).toBe(-EACCES);
    expect(u.mmap(0, SIZE, PROT_READ, MAP_SHARED, w, 0)).toBe(-EACCES);
    // A read-only file: mapped shared read-only it can never be made writable; privately it can.
    const shared = u.mmap(0, SIZE, PROT_READ, MAP_SHARED, r, 0);
    expect(u.mprotect(shared, SIZE, RW)).toBe(-EACCES);
    const priv = u.mmap(0, SIZE, RW, MAP_PRIVATE, r, 0);
    expect(priv).toBeGreaterThan(0);
    expect(u.touch(priv, N, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(N);
  });

  it("turns any argument into a kernel answer, never an exception", () => {
    const { u } = boot();
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (x, y, z) => {
        const calls = [
          () => u.open(x as never, y as never),
          () => u.close(x as never),
          () => u.unlink(x as never),
          () => u.ftruncate(x as never, y as never),
          () => u.mmap(0, PAGE_SIZE, PROT_READ, MAP_SHARED, x as never, y as never),
          () => u.mmap(0, z as number, PROT_READ, MAP_PRIVATE, 3, x as never),
        ];
        for (const call of calls) expect(typeof call()).toBe("number");
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it("the inode lives while named, open or mapped: unlink + close + munmap frees its pages", () => {
    const { k, u, fd } = boot();
    const a = u.mmap(0, SIZE, RW, MAP_SHARED, fd, 0);
    expect(u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(N);
    const cache = pfns(k, u, a);
    expect(u.munmap(a, SIZE)).toBe(0);
    expect(u.close(fd)).toBe(0);
    // Still named: the data stays in the page cache and a new mapping finds the same pages.
    expect(cache.some((p) => isFree(k, p))).toBe(false);
    const fd2 = u.open("/dev/shm/f", O_RDWR);
    const b = u.mmap(0, SIZE, PROT_READ, MAP_SHARED, fd2, 0);
    expect(u.touch(b, N, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(N);
    expect(pfns(k, u, b)).toEqual(cache);
    expect(u.unlink("/dev/shm/f")).toBe(0);
    expect(u.open("/dev/shm/f", O_RDWR)).toBe(-ENOENT);
    expect(renderNumaMaps(k, u.task)).toContain("file=/dev/shm/f\\040(deleted)");
    expect(u.close(fd2)).toBe(0);
    expect(cache.some((p) => isFree(k, p))).toBe(false); // still mapped
    expect(u.munmap(b, SIZE)).toBe(0);
    expect(cache.every((p) => isFree(k, p))).toBe(true);
    k.checkInvariants();
  });

  it("fork shares the descriptors; the last exit closes them", () => {
    const { k, u, fd } = boot();
    const child = k.userApi(u.fork());
    expect(u.unlink("/dev/shm/f")).toBe(0);
    expect(u.close(fd)).toBe(0);
    const a = child.mmap(0, SIZE, RW, MAP_SHARED, fd, 0); // the child's copy of the descriptor
    expect(child.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(N);
    const cache = pfns(k, child, a);
    expect(child.munmap(a, SIZE)).toBe(0);
    expect(cache.some((p) => isFree(k, p))).toBe(false); // the child still holds it open
    child.exit(0);
    k.runFor(1e6);
    expect(cache.every((p) => isFree(k, p))).toBe(true);
    k.checkInvariants();
  });

  it("O_TRUNC and ftruncate to a smaller size unmap and free the pages past the end; a fault there is SIGBUS", () => {
    const { k, u, v, fd } = boot();
    const a = u.mmap(0, SIZE, RW, MAP_SHARED, fd, 0);
    const vfd = v.open("/dev/shm/f", O_RDWR);
    const b = v.mmap(0, SIZE, RW, MAP_PRIVATE, vfd, 0);
    u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    v.touch(b, N, PAGE_SIZE, 8, false, TOUCH_LATENCY);
    const cache = pfns(k, u, a);
    expect(u.ftruncate(fd, 2 * PAGE_SIZE + 1)).toBe(0); // three pages stay
    expect(pfns(k, u, a)).toEqual([...cache.slice(0, 3), -1, -1, -1, -1, -1]);
    expect(pfns(k, v, b)).toEqual([...cache.slice(0, 3), -1, -1, -1, -1, -1]);
    expect(cache.slice(3).every((p) => isFree(k, p))).toBe(true);
    expect(u.touch(a + 3 * PAGE_SIZE, 1, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(-EFAULT);
    expect(v.touch(b + 7 * PAGE_SIZE, 1, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(-EFAULT);
    expect(u.touch(a + 2 * PAGE_SIZE, 1, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(1);
    // Growing again makes the range usable, with new (zeroed) pages.
    expect(u.ftruncate(fd, SIZE)).toBe(0);
    expect(u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(N);
    // O_TRUNC empties the file: every mapping of it loses its pages.
    expect(v.open("/dev/shm/f", O_RDWR | O_TRUNC)).toBe(4);
    expect(pfns(k, u, a).every((p) => p === -1)).toBe(true);
    expect(u.touch(a, 1, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(-EFAULT);
    k.checkInvariants();
  });
});

describe("mmap of a tmpfs file", () => {
  it("MAP_SHARED maps the page cache pages in place: two processes share them and see each other's writes", () => {
    const { k, u, v, fd } = boot();
    const a = u.mmap(0, SIZE, RW, MAP_SHARED, fd, 0);
    const vfd = v.open("/dev/shm/f", O_RDWR);
    const b = v.mmap(0, 4 * PAGE_SIZE, RW, MAP_SHARED, vfd, 4 * PAGE_SIZE); // the second half
    expect(u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(N);
    expect(v.touch(b, 4, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(4);
    const cache = pfns(k, u, a);
    expect(pfns(k, v, b, 4)).toEqual(cache.slice(4));
    expect(k.memory.stats.shmemPagesAllocated).toBe(N);
    expect(k.memory.stats.wpCopies).toBe(0);
    expect(cache.map((p) => pageMapcount(k.pages, p))).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    expect(k.vm.nodeStat[1][NR_ANON_PAGES]).toBe(0);
    expect(renderNumaMaps(k, u.task)).toBe(`${a.toString(16)} default file=/dev/shm/f dirty=${N} mapmax=2 active=0 N1=${N}\n`);
    expect(renderNumaMaps(k, v.task)).toBe(`${b.toString(16)} default file=/dev/shm/f dirty=4 mapmax=2 active=0 N1=4\n`);
    k.checkInvariants();
  });

  it("MAP_PRIVATE maps the cache pages read-only; the first write copies into an anonymous page", () => {
    const { k, u, v, fd } = boot();
    const a = u.mmap(0, SIZE, RW, MAP_SHARED, fd, 0);
    u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    const cache = pfns(k, u, a);
    const vfd = v.open("/dev/shm/f", O_RDWR);
    const b = v.mmap(0, SIZE, RW, MAP_PRIVATE, vfd, 0);
    expect(v.touch(b, N, PAGE_SIZE, 8, false, TOUCH_LATENCY)).toBe(N);
    expect(pfns(k, v, b)).toEqual(cache);
    expect(v.touch(b, 2, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(2); // pages 0 and 1 written
    const after = pfns(k, v, b);
    expect(after.slice(2)).toEqual(cache.slice(2));
    expect(after.slice(0, 2).every((p) => !cache.includes(p))).toBe(true);
    expect(pfns(k, u, a)).toEqual(cache); // the file is unchanged
    expect(k.memory.stats.wpCopies).toBe(2);
    expect(v.task.mm!.anonRss).toBe(2);
    expect(k.vm.nodeStat[1][NR_ANON_PAGES]).toBe(2);
    expect(renderNumaMaps(k, v.task)).toBe(`${b.toString(16)} default file=/dev/shm/f anon=2 dirty=2 mapped=${N} mapmax=2 active=0 N1=${N}\n`);
    // fork copies the private mapping's ptes: the cache pages gain a mapping, the copies are shared copy-on-write.
    const child = k.userApi(v.fork());
    expect(pageMapcount(k.pages, cache[5])).toBe(3);
    expect(pageMapcount(k.pages, after[0])).toBe(2);
    k.checkInvariants();
    expect(child.touch(b, N, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(N);
    expect(pfns(k, u, a)).toEqual(cache);
    k.checkInvariants();
  });

  it("a write fault on an untouched private page copies the file's page (allocated in the cache first)", () => {
    const { k, v } = boot();
    const vfd = v.open("/dev/shm/f", O_RDWR);
    const b = v.mmap(0, SIZE, RW, MAP_PRIVATE, vfd, 0);
    expect(v.touch(b, N, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(N);
    expect(k.memory.stats.shmemPagesAllocated).toBe(N);
    expect(v.task.mm!.anonRss).toBe(N);
    const w = k.userApi(k.createProcess({ comm: "c", cpusAllowed: 0b1100n }));
    const c = w.mmap(0, SIZE, PROT_READ, MAP_SHARED, w.open("/dev/shm/f", O_RDONLY), 0);
    w.touch(c, N, PAGE_SIZE, 8, false, TOUCH_LATENCY);
    expect(pfns(k, w, c).some((p) => pfns(k, v, b).includes(p))).toBe(false);
    expect(k.memory.stats.shmemPagesAllocated).toBe(N);
    k.checkInvariants();
  });

  it("a file mapping never gets a transparent huge page, private or shared (THP is for anonymous memory)", () => {
    const { k, u, fd } = boot();
    const big = 4 << 20;
    expect(u.ftruncate(fd, big)).toBe(0);
    const r = u.open("/dev/shm/f", O_RDONLY);
    for (const [flags, prot, f] of [
      [MAP_PRIVATE, RW, fd],
      [MAP_SHARED, PROT_READ, r],
    ]) {
      const a = u.mmap(0, big, prot, flags, f, 0);
      expect(u.touch(a, big / PAGE_SIZE, PAGE_SIZE, 8, prot === RW, TOUCH_LATENCY)).toBe(big / PAGE_SIZE);
      expect(u.task.mm!.pgtable.pmdFlags.some((x) => pmdTransHuge(x))).toBe(false);
    }
    k.checkInvariants();
  });

  it("cache pages are allocated under the faulting task's policy, or the inode's shared policy from mbind", () => {
    const { k, u, v, fd } = boot();
    const a = u.mmap(0, SIZE, RW, MAP_SHARED, fd, 0);
    expect(u.setMempolicy(MPOL_BIND, nodeMask(0), 3)).toBe(0);
    u.touch(a, 2, PAGE_SIZE, 8, false, TOUCH_LATENCY); // pages 0-1 by u's policy: node 0
    const vfd = v.open("/dev/shm/f", O_RDWR);
    const b = v.mmap(0, SIZE, RW, MAP_SHARED, vfd, 0);
    expect(v.touch(b, 4, PAGE_SIZE, 8, true, TOUCH_LATENCY)).toBe(4); // pages 2-3: v's default policy, node 1
    // mbind on v's shared mapping sets the inode's policy: u's faults on pages 4-7 follow it.
    expect(v.mbind(b + 4 * PAGE_SIZE, 4 * PAGE_SIZE, MPOL_BIND, nodeMask(0), 3, 0)).toBe(0);
    expect(u.setMempolicy(0, null, 0)).toBe(0);
    u.touch(a, N, PAGE_SIZE, 8, false, TOUCH_LATENCY);
    expect(pfns(k, u, a).map((p) => pageToNid(k.pages, p))).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    k.checkInvariants();
  });

  it("mbind on a private mapping of the file sets the inode's policy too (shmem's vm_ops serve every mapping, as in 3.7)", () => {
    const { k, u, v, fd } = boot();
    const b = v.mmap(0, SIZE, RW, MAP_PRIVATE, v.open("/dev/shm/f", O_RDWR), 0);
    expect(v.mbind(b, SIZE, MPOL_BIND, nodeMask(0), 3, 0)).toBe(0);
    const a = u.mmap(0, SIZE, RW, MAP_SHARED, fd, 0);
    u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    expect(pfns(k, u, a).every((p) => pageToNid(k.pages, p) === 0)).toBe(true);
    // v's private copies are allocated under the same policy.
    v.touch(b, N, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    expect(pfns(k, v, b).every((p) => pageToNid(k.pages, p) === 0)).toBe(true);
    k.checkInvariants();
  });

  it.each([26, 32, 49])("NUMA hinting (step %i) treats file pages as shmem: migrated when mapped once, never when shared", (step) => {
    const { k, u, v, fd } = boot(step);
    const a = u.mmap(0, SIZE, RW, MAP_SHARED, fd, 0);
    // Written while bound to node 0, then used from node 1; v maps the first half too.
    expect(u.mbind(a, SIZE, MPOL_BIND, nodeMask(0), 3, 0)).toBe(0);
    u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    expect(u.mbind(a, SIZE, 0, null, 3, 0)).toBe(0);
    const b = v.mmap(0, SIZE / 2, PROT_READ, MAP_SHARED, v.open("/dev/shm/f", O_RDONLY), 0);
    v.touch(b, N / 2, PAGE_SIZE, 8, false, TOUCH_LATENCY);
    const vma = k.memory.findVma(u.task.mm!, a)!;
    const migrated = k.vm.events[NUMA_PAGE_MIGRATE] ?? 0;
    for (let pass = 0; pass < 2; pass++) {
      expect(k.mempolicy.changeProtNuma(k, vma, a, a + SIZE)).toBe(N / 2);
      u.touch(a, N, PAGE_SIZE, 8, true, TOUCH_LATENCY);
    }
    const nodes = pfns(k, u, a).map((p) => pageToNid(k.pages, p));
    if (step >= 32) {
      expect(nodes).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
      expect((k.vm.events[NUMA_PAGE_MIGRATE] ?? 0) - migrated).toBe(N / 2);
      expect(pfns(k, v, b, N / 2).map((p) => pageToNid(k.pages, p))).toEqual([0, 0, 0, 0]);
    } else expect(nodes).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    k.checkInvariants();
  });
});
