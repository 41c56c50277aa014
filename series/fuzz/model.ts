/**
 * Model-based fuzzing of the syscall surface with fast-check (fc.commands): random sequences of
 * mmap (private or shared anonymous, or of a tmpfs file), munmap, mprotect, madvise, fork, exit, touch, set_mempolicy,
 * mbind, move_pages, migrate_pages, unlink and truncation of a tmpfs file, and sleep run against a whole kernel at one step of the series, while a simple
 * model keeps what must hold exactly (which pages are mapped with which protection, each page's
 * vma policy mode, each task's policy mode). After every command the kernel's own invariant
 * checker runs and the kernel's mappings and policies are compared with the model. The processes
 * run a program that writes their writable pages whenever the kernel schedules them, so `sleep`
 * exercises the scheduler, NUMA scanning, hinting faults and migration of the step.
 *
 * Each process also has credentials (root, or an ordinary uid without capabilities) and a cpuset
 * (mems_allowed), which the model tracks to predict 3.7's EPERM and EACCES answers; move_pages
 * may pass its arrays as user buffers at a page of the caller, which must be readable (status:
 * writable) or the call is EFAULT; a page's node from move_pages must be the node
 * get_mempolicy(MPOL_F_NODE|MPOL_F_ADDR) reports for it.
 *
 * Where 3.7's answer depends on more than the model knows (mbind or mprotect over a hole, madvise
 * advice already set, move_pages status of a page), the command checks the kind of answer and
 * takes the new state from the kernel.
 */
import fc from "fast-check";
import {
  EACCES,
  EFAULT,
  EINVAL,
  EIO,
  ENOENT,
  ENOMEM,
  EPERM,
  MADV_DONTNEED,
  MADV_HUGEPAGE,
  MADV_NOHUGEPAGE,
  MADV_NORMAL,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MAP_SHARED,
  MAX_NUMNODES,
  MPOL_BIND,
  MPOL_DEFAULT,
  MPOL_F_ADDR,
  MPOL_F_NODE,
  MPOL_INTERLEAVE,
  MPOL_MF_MOVE,
  MPOL_MF_MOVE_ALL,
  MPOL_MF_STRICT,
  MPOL_PREFERRED,
  O_CREAT,
  O_RDWR,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_NONE,
  PROT_READ,
  PROT_WRITE,
  TICK_NSEC,
  TOUCH_LATENCY,
  USER_BASE,
  VM_EXEC,
  VM_READ,
  VM_WRITE,
  nodeMask,
  userBuf,
  type UserApi,
  type UserProgram,
} from "@balancenuma/include-linux";
import { bootAtStep, type Linux } from "../boot.js";

/** The steps the fuzzer covers by default: 3.7-rc6 and the points where the series changes the mm. */
export const FUZZ_STEPS = [0, 24, 32, 40, 45, 49] as const;
/** Two nodes of 64 MiB: room for THP and for a few hundred touched pages per process. */
const TOPOLOGY = "nodes=2,cpus=2,mem=64M";
const MAX_PROCS = 4;
const MAXNODE = 3;

/** One page of the model: its protection and the mode of the vma policy over it (MPOL_DEFAULT: none). */
interface PageState {
  prot: number;
  mode: number;
}

/** One process of the model: its mapped pages by address, its task policy mode, uid (0: root, every capability) and cpuset. */
interface ProcModel {
  pid: number;
  pages: Map<number, PageState>;
  mode: number;
  uid: number;
  mems: bigint;
}

/** Both nodes of the fuzzed machine. */
const ALL_NODES = 3n;

export interface Model {
  procs: ProcModel[];
  /** The tmpfs files that exist (named); each is FILE_PAGES long. */
  files: Set<string>;
}

/** The tmpfs files the fuzzer maps; each is FILE_PAGES long, so no mapping reaches past its end. */
const FILE_NAMES = ["/dev/shm/fuzz0", "/dev/shm/fuzz1", "/tmp/fuzz2"];
const FILE_PAGES = 2048;

export interface Real {
  readonly k: Linux;
  readonly apis: Map<number, UserApi>;
  /** System calls made so far (for the fuzz figures). */
  syscalls: number;
}

/**
 * The program every fuzzed process runs: whenever scheduled it writes up to 64 of its writable
 * pages (from the model, so never a page it could not write) and sleeps 100 µs.
 */
function toucher(p: ProcModel): UserProgram {
  let cursor = 0;
  return {
    run(u) {
      const writable = [...p.pages].filter(([, s]) => s.prot & PROT_WRITE).map(([a]) => a);
      for (let i = 0; i < Math.min(64, writable.length) && u.budgetLeft() > 0; i++)
        u.touch(writable[(cursor + i) % writable.length], 1, 0, 64, true, TOUCH_LATENCY);
      cursor += 64;
      return u.sleep(100_000);
    },
  };
}

/** A fresh kernel at `step` with one process, and the model of it. */
function setup(step: number): { model: Model; real: Real } {
  const k = bootAtStep({ step, topology: TOPOLOGY, thp: "always", debug: true, seed: 1 });
  const p: ProcModel = { pid: 0, pages: new Map(), mode: MPOL_DEFAULT, uid: 0, mems: ALL_NODES };
  const t = k.createProcess({ comm: "fuzz", program: toucher(p) });
  p.pid = t.pid;
  return { model: { procs: [p], files: new Set() }, real: { k, apis: new Map([[t.pid, k.userApi(t)]]), syscalls: 0 } };
}

const vmProt = (flags: number): number => (flags & VM_READ ? PROT_READ : 0) | (flags & VM_WRITE ? PROT_WRITE : 0) | (flags & VM_EXEC ? PROT_EXEC : 0);
const pageRange = (start: number, pages: number): number[] => Array.from({ length: pages }, (_, i) => start + i * PAGE_SIZE);

function modelMismatch(msg: string): never {
  throw new Error(msg);
}

/** The model agrees with the kernel: same pages mapped, same protection, same vma policy modes, same task policy. */
function checkAgainstKernel(model: Model, real: Real): void {
  real.k.checkInvariants();
  for (const p of model.procs) {
    const t = real.k.tasks.get(p.pid) ?? modelMismatch(`pid ${p.pid} is gone`);
    if (t.exitNs >= 0) modelMismatch(`pid ${p.pid} exited`);
    let mapped = 0;
    for (const vma of t.mm?.vmas ?? []) {
      for (let a = vma.start; a < vma.end; a += PAGE_SIZE) {
        const s = p.pages.get(a) ?? modelMismatch(`pid ${p.pid}: the kernel maps 0x${a.toString(16)}, the model does not`);
        if (s.prot !== vmProt(vma.flags)) modelMismatch(`pid ${p.pid}: 0x${a.toString(16)} has prot ${vmProt(vma.flags)}, the model says ${s.prot}`);
        const mode = vma.policy?.mode ?? MPOL_DEFAULT;
        if (s.mode !== mode) modelMismatch(`pid ${p.pid}: 0x${a.toString(16)} has policy mode ${mode}, the model says ${s.mode}`);
        mapped++;
      }
    }
    if (mapped !== p.pages.size) modelMismatch(`pid ${p.pid}: the model maps ${p.pages.size} pages, the kernel ${mapped}`);
    if ((t.mempolicy?.mode ?? MPOL_DEFAULT) !== p.mode) modelMismatch(`pid ${p.pid}: task policy mode ${t.mempolicy?.mode ?? 0}, the model says ${p.mode}`);
    if (t.cred.uid !== p.uid || t.cred.euid !== p.uid) modelMismatch(`pid ${p.pid}: uid ${t.cred.uid} euid ${t.cred.euid}, the model says ${p.uid}`);
    if (t.memsAllowed !== p.mems) modelMismatch(`pid ${p.pid}: mems_allowed ${t.memsAllowed}, the model says ${p.mems}`);
  }
}

/** Take the state of [start, start + pages) of one process from the kernel (after a partial or unpredicted change). */
function resync(p: ProcModel, real: Real, start: number, pages: number): void {
  const mm = real.k.tasks.get(p.pid)?.mm;
  for (const a of pageRange(start, pages)) {
    const vma = mm ? real.k.memory.findVma(mm, a) : null;
    if (vma === null || vma.start > a) p.pages.delete(a);
    else p.pages.set(a, { prot: vmProt(vma.flags), mode: vma.policy?.mode ?? MPOL_DEFAULT });
  }
}

/** A command addresses a process by index and a page by index into that process's pages (both modulo). */
interface Target {
  proc: number;
  page: number;
}

function pick(model: Model, tg: Target): ProcModel {
  return model.procs[tg.proc % model.procs.length];
}

/** A start page within the process's mappings (or an unmapped one when it has none), and whether the range is wholly mapped. */
function targetRange(p: ProcModel, tg: Target, pages: number): { start: number; whole: boolean } {
  const addrs = [...p.pages.keys()].sort((a, b) => a - b);
  const start = addrs.length ? addrs[tg.page % addrs.length] : USER_BASE;
  return { start, whole: pageRange(start, pages).every((a) => p.pages.has(a)) };
}

function api(real: Real, p: ProcModel): UserApi {
  real.syscalls++;
  return real.apis.get(p.pid) ?? modelMismatch(`no handle for pid ${p.pid}`);
}

function expectEq(what: string, got: number, want: number | readonly number[]): void {
  const ok = typeof want === "number" ? got === want : want.includes(got);
  if (!ok) modelMismatch(`${what}: got ${got}, want ${String(want)}`);
}

type Cmd = fc.Command<Model, Real>;

/** A command: its action, then the model checked against the kernel. */
abstract class Step implements Cmd {
  abstract check(m: Readonly<Model>): boolean;
  abstract act(m: Model, r: Real): void;
  abstract toString(): string;
  run(m: Model, r: Real): void {
    this.act(m, r);
    checkAgainstKernel(m, r);
  }
}

class Mmap extends Step {
  constructor(
    readonly tg: Target,
    readonly pages: number,
    readonly prot: number,
    readonly shared: boolean,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const a = api(r, p).mmap(0, this.pages * PAGE_SIZE, this.prot, (this.shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS);
    if (a < USER_BASE || a % PAGE_SIZE !== 0) modelMismatch(`mmap gave ${a}`);
    for (const x of pageRange(a, this.pages)) {
      if (p.pages.has(x)) modelMismatch(`mmap gave 0x${x.toString(16)}, which is mapped`);
      p.pages.set(x, { prot: this.prot, mode: MPOL_DEFAULT });
    }
  }
  toString(): string {
    return `mmap(p${this.tg.proc}, ${this.pages} pages, prot ${this.prot}${this.shared ? ", MAP_SHARED" : ""})`;
  }
}

/** Open (creating) a tmpfs file, size it, map `pages` of it from page `offset`, close it. */
class MmapFile extends Step {
  constructor(
    readonly tg: Target,
    readonly file: number,
    readonly pages: number,
    readonly offset: number,
    readonly prot: number,
    readonly shared: boolean,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const path = FILE_NAMES[this.file];
    const fd = api(r, p).open(path, O_RDWR | O_CREAT);
    if (fd < 3) modelMismatch(`open(${path}) gave ${fd}`);
    m.files.add(path);
    expectEq("ftruncate", api(r, p).ftruncate(fd, FILE_PAGES * PAGE_SIZE), 0);
    const a = api(r, p).mmap(0, this.pages * PAGE_SIZE, this.prot, this.shared ? MAP_SHARED : MAP_PRIVATE, fd, this.offset * PAGE_SIZE);
    expectEq("close", api(r, p).close(fd), 0);
    if (a < USER_BASE || a % PAGE_SIZE !== 0) modelMismatch(`mmap of ${path} gave ${a}`);
    for (const x of pageRange(a, this.pages)) {
      if (p.pages.has(x)) modelMismatch(`mmap gave 0x${x.toString(16)}, which is mapped`);
      p.pages.set(x, { prot: this.prot, mode: MPOL_DEFAULT });
    }
  }
  toString(): string {
    return `mmap(p${this.tg.proc}, ${FILE_NAMES[this.file]} from page ${this.offset}, ${this.pages} pages, prot ${this.prot}${this.shared ? ", MAP_SHARED" : ""})`;
  }
}

/** unlink a tmpfs file: its mappings keep it. */
class Unlink extends Step {
  constructor(
    readonly tg: Target,
    readonly file: number,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  act(m: Model, r: Real): void {
    const path = FILE_NAMES[this.file];
    expectEq("unlink", api(r, pick(m, this.tg)).unlink(path), m.files.delete(path) ? 0 : -ENOENT);
  }
  toString(): string {
    return `unlink(p${this.tg.proc}, ${FILE_NAMES[this.file]})`;
  }
}

/** Truncate a tmpfs file to `keep` pages (unmapping and freeing the rest everywhere), then size it back. */
class Truncate extends Step {
  constructor(
    readonly tg: Target,
    readonly file: number,
    readonly keep: number,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const path = FILE_NAMES[this.file];
    const fd = api(r, p).open(path, O_RDWR);
    if (!m.files.has(path)) {
      expectEq("open of an unlinked file", fd, -ENOENT);
      return;
    }
    expectEq("ftruncate down", api(r, p).ftruncate(fd, this.keep * PAGE_SIZE), 0);
    expectEq("ftruncate up", api(r, p).ftruncate(fd, FILE_PAGES * PAGE_SIZE), 0);
    expectEq("close", api(r, p).close(fd), 0);
  }
  toString(): string {
    return `truncate(p${this.tg.proc}, ${FILE_NAMES[this.file]} to ${this.keep} pages and back)`;
  }
}

class Munmap extends Step {
  constructor(
    readonly tg: Target,
    readonly pages: number,
  ) {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return pick(m, this.tg).pages.size > 0;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const { start } = targetRange(p, this.tg, this.pages);
    expectEq("munmap", api(r, p).munmap(start, this.pages * PAGE_SIZE), 0);
    for (const a of pageRange(start, this.pages)) p.pages.delete(a);
  }
  toString(): string {
    return `munmap(p${this.tg.proc}, page #${this.tg.page}, ${this.pages} pages)`;
  }
}

class Mprotect extends Step {
  constructor(
    readonly tg: Target,
    readonly pages: number,
    readonly prot: number,
  ) {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return pick(m, this.tg).pages.size > 0;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const { start, whole } = targetRange(p, this.tg, this.pages);
    const ret = api(r, p).mprotect(start, this.pages * PAGE_SIZE, this.prot);
    if (whole) {
      expectEq("mprotect", ret, 0);
      for (const a of pageRange(start, this.pages)) (p.pages.get(a) as PageState).prot = this.prot;
    } else {
      // 3.7 changes the vmas up to the hole, then answers ENOMEM.
      expectEq("mprotect over a hole", ret, -ENOMEM);
      resync(p, r, start, this.pages);
    }
  }
  toString(): string {
    return `mprotect(p${this.tg.proc}, page #${this.tg.page}, ${this.pages} pages, prot ${this.prot})`;
  }
}

class Madvise extends Step {
  constructor(
    readonly tg: Target,
    readonly pages: number,
    readonly advice: number,
  ) {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return pick(m, this.tg).pages.size > 0;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const { start, whole } = targetRange(p, this.tg, this.pages);
    const ret = api(r, p).madvise(start, this.pages * PAGE_SIZE, this.advice);
    // THP advice already in force is EINVAL in 3.7; a hole is ENOMEM.
    expectEq("madvise", ret, whole ? [0, -EINVAL] : [-ENOMEM, -EINVAL]);
  }
  toString(): string {
    return `madvise(p${this.tg.proc}, page #${this.tg.page}, ${this.pages} pages, advice ${this.advice})`;
  }
}

class Touch extends Step {
  constructor(
    readonly tg: Target,
    readonly pages: number,
    readonly write: boolean,
  ) {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return pick(m, this.tg).pages.size > 0;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const { start } = targetRange(p, this.tg, this.pages);
    let want = this.pages;
    for (const a of pageRange(start, this.pages)) {
      const s = p.pages.get(a);
      const ok = s !== undefined && (this.write ? s.prot & PROT_WRITE : s.prot !== PROT_NONE);
      if (!ok) {
        want = -EFAULT; // the fault kills the access whatever was done before it
        break;
      }
    }
    const got = api(r, p).touch(start, this.pages, PAGE_SIZE, 64, this.write, TOUCH_LATENCY);
    expectEq("touch", got, [want, -ENOMEM]);
  }
  toString(): string {
    return `touch(p${this.tg.proc}, page #${this.tg.page}, ${this.pages} pages, ${this.write ? "write" : "read"})`;
  }
}

/** A mode and nodes for set_mempolicy and mbind, and whether 3.7 accepts them. */
interface Policy {
  mode: number;
  nodes: bigint;
}

const validPolicy = (pol: Policy): boolean =>
  pol.mode === MPOL_DEFAULT
    ? pol.nodes === 0n
    : pol.mode === MPOL_PREFERRED
      ? true
      : pol.mode === MPOL_BIND || pol.mode === MPOL_INTERLEAVE
        ? pol.nodes !== 0n
        : false;

class SetMempolicy extends Step {
  constructor(
    readonly tg: Target,
    readonly pol: Policy,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const u = api(r, p);
    const ret = u.setMempolicy(this.pol.mode, this.pol.nodes, MAXNODE);
    // Within a cpuset a mask may miss every allowed node (-EINVAL for bind and interleave).
    expectEq("set_mempolicy", ret, !validPolicy(this.pol) ? -EINVAL : p.mems === ALL_NODES ? 0 : [0, -EINVAL]);
    if (ret === 0) p.mode = this.pol.mode;
    const out = { mode: -1, nodemask: 0n };
    expectEq("get_mempolicy", u.getMempolicy(out, MAX_NUMNODES, 0, 0), 0);
    expectEq("get_mempolicy mode", out.mode, p.mode);
  }
  toString(): string {
    return `set_mempolicy(p${this.tg.proc}, mode ${this.pol.mode}, nodes ${this.pol.nodes})`;
  }
}

class Mbind extends Step {
  constructor(
    readonly tg: Target,
    readonly pages: number,
    readonly pol: Policy,
    readonly flags: number,
  ) {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return pick(m, this.tg).pages.size > 0;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const { start, whole } = targetRange(p, this.tg, this.pages);
    const u = api(r, p);
    const ret = u.mbind(start, this.pages * PAGE_SIZE, this.pol.mode, this.pol.nodes, MAXNODE, this.flags);
    // 3.7's order: the mode (sys_mbind), then CAP_SYS_NICE for MOVE_ALL, then the policy (do_mbind's mpol_new).
    if (this.pol.mode > MPOL_INTERLEAVE) expectEq("mbind with a bad mode", ret, -EINVAL);
    else if (this.flags & MPOL_MF_MOVE_ALL && p.uid !== 0) expectEq("mbind MOVE_ALL without CAP_SYS_NICE", ret, -EPERM);
    else if (!validPolicy(this.pol)) expectEq("mbind with a bad policy", ret, -EINVAL);
    else if (p.mems !== ALL_NODES && ret !== 0) {
      // Within a cpuset a mask may miss every allowed node: -EINVAL before anything changes.
      expectEq("mbind in a cpuset", ret, [-EINVAL, -EIO, -EFAULT]);
      resync(p, r, start, this.pages);
    } else if (whole) {
      // STRICT: a misplaced page is EIO before any policy is set (alone), or after (MOVE that failed).
      expectEq("mbind", ret, this.flags & MPOL_MF_STRICT ? [0, -EIO] : 0);
      if (ret === 0) {
        for (const a of pageRange(start, this.pages)) (p.pages.get(a) as PageState).mode = this.pol.mode;
        const out = { mode: -1, nodemask: 0n };
        expectEq("get_mempolicy(MPOL_F_ADDR)", u.getMempolicy(out, MAX_NUMNODES, start, MPOL_F_ADDR), 0);
        expectEq("get_mempolicy(MPOL_F_ADDR) mode", out.mode, this.pol.mode);
      } else resync(p, r, start, this.pages);
    } else {
      expectEq("mbind over a hole", ret, [0, -EFAULT, -EIO]);
      resync(p, r, start, this.pages);
    }
  }
  toString(): string {
    return `mbind(p${this.tg.proc}, page #${this.tg.page}, ${this.pages} pages, mode ${this.pol.mode}, nodes ${this.pol.nodes}, flags ${this.flags})`;
  }
}

/** Where move_pages finds its arrays: plain values, or user buffers at one of the caller's pages (which may be unreadable). */
interface Buffers {
  /** Index of the caller's page holding the arrays (modulo), or null for plain values. */
  page: number | null;
}

/** May `caller` move `target`'s memory (3.7: a matching uid, or CAP_SYS_NICE, which only root has here)? */
const mayMove = (caller: ProcModel, target: ProcModel): boolean => caller.uid === 0 || caller.uid === target.uid;

class MovePages extends Step {
  constructor(
    readonly tg: Target,
    readonly pages: number,
    readonly node: number | null,
    readonly all: boolean,
    readonly target: number | null,
    readonly bufs: Buffers,
  ) {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return pick(m, this.tg).pages.size > 0;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const victim = this.target === null ? p : m.procs[this.target % m.procs.length];
    const { start } = targetRange(victim, this.tg, this.pages);
    const addrs = pageRange(start, this.pages);
    const status: number[] = [];
    const nodes = this.node === null ? null : addrs.map(() => this.node as number);
    // The arrays at one page of the caller: pages (8 bytes each), nodes (4), status (4) all fit in it.
    const at = this.bufs.page === null || p.pages.size === 0 ? null : [...p.pages.keys()].sort((a, b) => a - b)[this.bufs.page % p.pages.size];
    const prot = at === null ? PROT_READ | PROT_WRITE : (p.pages.get(at) as PageState).prot;
    const arg = <T>(v: T, off: number): T | ReturnType<typeof userBuf<T>> => (at === null ? v : userBuf(at + off, v));
    const ret = api(r, p).movePages(
      this.target === null ? 0 : victim.pid,
      arg(addrs, 0),
      nodes === null ? null : arg(nodes, 256),
      arg(status, 384),
      this.all ? MPOL_MF_MOVE_ALL : MPOL_MF_MOVE,
    );
    // 3.7's order: MOVE_ALL needs CAP_SYS_NICE, then the target's owner; then the arrays are read (and status written).
    let want = 0;
    if (this.all && p.uid !== 0) want = -EPERM;
    else if (!mayMove(p, victim)) want = -EPERM;
    else if (prot === PROT_NONE) want = -EFAULT;
    else if (nodes !== null && !(victim.mems & (1n << BigInt(this.node as number)))) want = -EACCES;
    else if (!(prot & PROT_WRITE)) want = -EFAULT;
    expectEq("move_pages", ret, want);
    if (ret !== 0) return;
    const u = api(r, victim === p ? p : victim);
    addrs.forEach((a, i) => {
      if (!victim.pages.has(a)) expectEq(`move_pages status of unmapped 0x${a.toString(16)}`, status[i], -EFAULT);
      else if (status[i] >= 0) {
        // The page's node as get_mempolicy sees it (the same page: no fault needed), unless the
        // status write went to this page afterwards: copy-on-write (a private file mapping, a page
        // shared since fork) then replaced it, as in 3.7.
        if (victim === p && a === at) return;
        const out = { mode: -1, nodemask: 0n };
        if (u.getMempolicy(out, 0, a, MPOL_F_NODE | MPOL_F_ADDR) === 0)
          expectEq(`get_mempolicy(MPOL_F_NODE|MPOL_F_ADDR) of 0x${a.toString(16)} against move_pages`, out.mode, status[i]);
      } else {
        // -ENOENT (nothing or the zero page), -EACCES (shared without MOVE_ALL), -EBUSY, -ENOMEM, -EAGAIN
        expectEq(`move_pages status of 0x${a.toString(16)}`, status[i], [-2, -13, -16, -12, -11]);
      }
    });
  }
  toString(): string {
    const whose = this.target === null ? "" : ` of p${this.target}`;
    const where = this.bufs.page === null ? "" : `, arrays at page #${this.bufs.page}`;
    return `move_pages(p${this.tg.proc}${whose}, page #${this.tg.page}, ${this.pages} pages, ${this.node === null ? "query" : `to ${this.node}`}${this.all ? ", MOVE_ALL" : ""}${where})`;
  }
}

class MigratePages extends Step {
  constructor(
    readonly tg: Target,
    readonly target: number,
    readonly from: bigint,
    readonly to: bigint,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const victim = m.procs[this.target % m.procs.length];
    const ret = api(r, p).migratePages(victim.pid, MAXNODE, this.from, this.to);
    // 3.7: another owner's process needs CAP_SYS_NICE; so do new nodes outside its cpuset.
    if (!mayMove(p, victim) || (p.uid !== 0 && (this.to & ~victim.mems) !== 0n)) expectEq("migrate_pages", ret, -EPERM);
    else if (ret < 0) modelMismatch(`migrate_pages: got ${ret}`);
  }
  toString(): string {
    return `migrate_pages(p${this.tg.proc} on p${this.target}, ${this.from} -> ${this.to})`;
  }
}

class Fork extends Step {
  constructor(readonly tg: Target) {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return m.procs.length < MAX_PROCS;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const child: ProcModel = { pid: 0, pages: new Map([...p.pages].map(([a, s]) => [a, { ...s }])), mode: p.mode, uid: p.uid, mems: p.mems };
    const pid = api(r, p).fork(toucher(child), "fuzz");
    if (pid <= 0) modelMismatch(`fork gave ${pid}`);
    child.pid = pid;
    r.apis.set(pid, r.k.userApi(pid));
    m.procs.push(child);
  }
  toString(): string {
    return `fork(p${this.tg.proc})`;
  }
}

class Exit extends Step {
  constructor(readonly tg: Target) {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return m.procs.length > 1;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    api(r, p).exit(0);
    r.k.runFor(2 * TICK_NSEC);
    if ((r.k.tasks.get(p.pid)?.exitNs ?? -1) < 0) modelMismatch(`pid ${p.pid} did not exit`);
    r.apis.delete(p.pid);
    m.procs.splice(m.procs.indexOf(p), 1);
  }
  toString(): string {
    return `exit(p${this.tg.proc})`;
  }
}

/** setresuid(uid, uid, uid): root may become anyone (losing its capabilities unless uid 0); others only themselves. */
class SetUid extends Step {
  constructor(
    readonly tg: Target,
    readonly uid: number,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const ret = api(r, p).setresuid(this.uid, this.uid, this.uid);
    expectEq("setresuid", ret, p.uid === 0 || p.uid === this.uid ? 0 : -EPERM);
    if (ret === 0) p.uid = this.uid;
  }
  toString(): string {
    return `setresuid(p${this.tg.proc}, ${this.uid})`;
  }
}

/** Move a process to a cpuset with these mems (its policies are rebound; set_mempolicy then answers for the new mems). */
class Cpuset extends Step {
  constructor(
    readonly tg: Target,
    readonly mems: bigint,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  act(m: Model, r: Real): void {
    const p = pick(m, this.tg);
    const t = r.k.tasks.get(p.pid) ?? modelMismatch(`pid ${p.pid} is gone`);
    expectEq("cpuset mems", r.k.setMemsAllowed(t, this.mems), 0);
    p.mems = this.mems;
  }
  toString(): string {
    return `cpuset(p${this.tg.proc}, mems ${this.mems})`;
  }
}

class Sleep extends Step {
  constructor(readonly ticks: number) {
    super();
  }
  check(): boolean {
    return true;
  }
  act(_m: Model, r: Real): void {
    r.k.runFor(this.ticks * TICK_NSEC);
  }
  toString(): string {
    return `sleep(${this.ticks} ticks)`;
  }
}

const target = fc.record({ proc: fc.nat(7), page: fc.nat(4095) });
/** Mostly small ranges, some that cross or fill a 2 MiB huge page. */
const pages = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 16 }) }, { weight: 1, arbitrary: fc.integer({ min: 500, max: 1100 }) });
const prot = fc.constantFrom(PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE | PROT_EXEC);
const nodes = fc.constantFrom(0n, 1n, 2n, 3n);
const policy = fc.record({ mode: fc.constantFrom(MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, 9), nodes });

/** Every command the fuzzer draws from, with its arguments. */
const COMMANDS: fc.Arbitrary<Cmd>[] = [
  fc.tuple(target, pages, prot, fc.boolean()).map(([t, n, pr, sh]) => new Mmap(t, n, pr, sh)),
  fc.tuple(target, pages).map(([t, n]) => new Munmap(t, n)),
  fc.tuple(target, fc.nat(2), pages, fc.nat(900), prot, fc.boolean()).map(([t, f, n, off, pr, sh]) => new MmapFile(t, f, n, off, pr, sh)),
  fc.tuple(target, fc.nat(2)).map(([t, f]) => new Unlink(t, f)),
  fc.tuple(target, fc.nat(2), fc.nat(1200)).map(([t, f, keep]) => new Truncate(t, f, keep)),
  fc.tuple(target, pages, prot).map(([t, n, pr]) => new Mprotect(t, n, pr)),
  fc.tuple(target, pages, fc.constantFrom(MADV_NORMAL, MADV_DONTNEED, MADV_HUGEPAGE, MADV_NOHUGEPAGE)).map(([t, n, a]) => new Madvise(t, n, a)),
  fc.tuple(target, pages, fc.boolean()).map(([t, n, w]) => new Touch(t, n, w)),
  fc.tuple(target, policy).map(([t, p]) => new SetMempolicy(t, p)),
  fc
    .tuple(target, pages, policy, fc.constantFrom(0, MPOL_MF_MOVE, MPOL_MF_MOVE_ALL, MPOL_MF_STRICT, MPOL_MF_STRICT | MPOL_MF_MOVE))
    .map(([t, n, p, f]) => new Mbind(t, n, p, f)),
  fc
    .tuple(
      target,
      fc.integer({ min: 1, max: 24 }),
      fc.option(fc.constantFrom(0, 1)),
      fc.boolean(),
      fc.option(fc.nat(7), { freq: 3 }),
      fc.option(fc.nat(4095), { freq: 2 }),
    )
    .map(([t, n, node, all, victim, at]) => new MovePages(t, n, node, all, victim, { page: at })),
  fc.tuple(target, fc.nat(7), nodes, nodes).map(([t, v, f, to]) => new MigratePages(t, v, f, to)),
  target.map((t) => new Fork(t)),
  target.map((t) => new Exit(t)),
  fc.integer({ min: 1, max: 25 }).map((n) => new Sleep(n)),
  fc.tuple(target, fc.constantFrom(0, 1000, 1001)).map(([t, uid]) => new SetUid(t, uid)),
  fc.tuple(target, fc.constantFrom(nodeMask(0), nodeMask(1), ALL_NODES)).map(([t, mems]) => new Cpuset(t, mems)),
];

/** The sequences for one step: up to `maxCommands` commands each. */
const commandSequences = (maxCommands = 30) => fc.commands(COMMANDS, { maxCommands, size: "max" });

/**
 * The property for one step: run the sequence against a fresh kernel (each command checks the
 * model afterwards). `count` receives the syscalls of each run (for the figures).
 */
export function stepProperty(step: number, count: (syscalls: number) => void, maxCommands?: number) {
  return fc.property(commandSequences(maxCommands), (cmds) => {
    const { model, real } = setup(step);
    try {
      fc.modelRun(() => ({ model, real }), cmds);
    } finally {
      count(real.syscalls);
    }
  });
}
