import type { CostProfile, MemoryBus, Topology } from "@balancenuma/machine";
import type { Features } from "./features.js";
import type { Rng } from "./random.js";
import type { PageFrames } from "./page.js";
import type { AnonVma, MmStruct, Vma } from "./mm.js";
import type { Mempolicy, Nodemask } from "./mempolicy.js";
import type { Task } from "./task.js";
import type { LockKind, SimLock } from "./lock.js";
import type { GetMempolicyOut, UserProgram } from "./user.js";
import type { UserArg } from "./uaccess.js";
import type { ShmemObject } from "./shmem.js";

/**
 * The kernel context passed to every model function. Subsystem packages never import each other:
 * a call into another subsystem goes through the ops objects here, wired up in @balancenuma/kernel.
 */
export interface Kernel {
  readonly features: Readonly<Features>;
  readonly topology: Topology;
  readonly cost: CostProfile;
  readonly bus: MemoryBus;
  readonly pages: PageFrames;
  readonly vm: VmCounters;
  readonly rng: Rng;
  readonly sysctl: SysctlTable;
  readonly trace: Tracer;
  readonly cpus: CpuState[];
  /** All live and exited tasks by pid. */
  readonly tasks: Map<number, Task>;
  /** The CPU being simulated now, and the task on it (null in boot/idle context). */
  currentCpu: number;
  current: Task | null;
  /** Simulated now on the current CPU, ns. */
  now(): number;
  /** Jiffies at now() (HZ ticks since boot). */
  jiffies(): number;
  /**
   * Charge ns of kernel work to the current CPU (system time of the current task, if any), counted
   * for kernel path `path` of the system-time profile (sys-profile.ts; default: `sysPath`).
   */
  charge(ns: number, path?: number): void;
  /** Charge ns to another CPU (an interrupt there: a TLB-shootdown IPI), for `path` (default `sysPath`). */
  chargeCpu(cpu: number, ns: number, path?: number): void;
  /** The kernel path the current CPU is in (SYS_* of sys-profile.ts): entry points set it and put the old one back. */
  sysPath: number;
  /** `ns` already charged for path `from` belongs to `to` (a fault found to be a NUMA hinting fault after its entry was charged). */
  reattribute(ns: number, from: number, to: number): void;
  /** smp_send_reschedule: CPU `cpu` has work queued; an idle CPU wakes up to run it. */
  reschedCpu(cpu: number): void;
  /** A new lock for the contention model. */
  newLock(name: string, kind: LockKind): SimLock;
  /** Charge `ns` like charge(), of which `waitNs` went on waiting for lock `l` (counted for its path, lockWaitPath). */
  chargeWait(ns: number, waitNs: number, l: SimLock): void;
  /** Take a lock on the current CPU now; the wait (for the lock's path, lockWaitPath) and the hold are charged as system time. */
  lock(l: SimLock, holdNs: number, shared?: boolean): void;
  /** A new anon_vma (its lock kind follows Features.anonVmaLock). */
  newAnonVma(): AnonVma;
  anonVmaById(id: number): AnonVma;
  /** Debug mode: check invariants after every operation that could break them (tests turn it on). */
  readonly debug: boolean;
  /** User touches that change nothing are charged a run at a time (false: touch by touch; same results, slower). */
  readonly bulkTouches: boolean;
  /** Log a kernel message (dmesg), e.g. printk(KERN_INFO "Enabling automatic NUMA balancing..."). */
  printk(level: "info" | "warning", text: string): void;

  readonly pageAlloc: PageAllocOps;
  readonly memory: MemoryOps;
  readonly hugeMemory: HugeMemoryOps;
  readonly rmap: RmapOps;
  readonly migrate: MigrateOps;
  readonly mempolicy: MempolicyOps;
  readonly mprotect: MprotectOps;
  readonly sched: SchedOps;
  readonly tlb: TlbOps;
}

/** Per-CPU state the scheduler and the event loop share. */
export interface CpuState {
  readonly id: number;
  readonly node: number;
  /** The task running here (null = idle). */
  curr: Task | null;
  /** Simulated time this CPU has reached, ns (up to a quantum ahead of the other busy CPUs). */
  clock: number;
  /** Idle time accumulated, ns. */
  idleNs: number;
  /** Interrupt time charged by other CPUs (IPIs) not yet absorbed, ns. */
  pendingIrqNs: number;
}

/** vm_event_item counters and per-node zone/numa stats; ids are defined by @balancenuma/vmstat. */
export interface VmCounters {
  readonly events: Float64Array;
  /** nodeStat[nid][item]. */
  readonly nodeStat: Float64Array[];
}

/** /proc/sys values by full dotted name ("kernel.numa_balancing_scan_delay_ms", "vm.…"). */
export interface SysctlTable {
  get(name: string): number;
  has(name: string): boolean;
}

export interface Tracer {
  /** Whether an event (e.g. "migrate:mm_migrate_pages") is being recorded. */
  enabled(event: string): boolean;
  /** Record one event line (the part after "event: " in ftrace text format). */
  emit(event: string, text: string): void;
}

export interface PageAllocOps {
  /** Allocate 2^order pages starting the zonelist at `nid` (only `nid` with __GFP_THISNODE), within `nodemask` if given. Returns the pfn or -1. */
  allocPages(k: Kernel, gfp: number, order: number, nid: number, nodemask: Nodemask | null): number;
  freePages(k: Kernel, pfn: number, order: number): void;
  /** zone_watermark_ok for a node: can it give `pages` above its `mark` watermark? */
  watermarkOk(k: Kernel, nid: number, mark: "min" | "low" | "high", pages: number): boolean;
  /** Each node's min, low and high watermarks, in pages (from vm.min_free_kbytes). */
  watermarks(k: Kernel): readonly { readonly min: number; readonly low: number; readonly high: number }[];
  nodeFreePages(nid: number): number;
  /** The node zonelist order for `nid` (nearest first). */
  zonelist(nid: number): readonly number[];
}

/** Fault-path accounting kept by MemoryOps (mm-memory), for tests and step deltas. */
export interface MemoryStats {
  /** pte pages allocated by __pte_alloc (pte_alloc_one calls). */
  ptePageAllocs: number;
  /** Of those, pages freed again because the pmd was already populated (the waste step 01 removes). */
  ptePagesUnused: number;
  /** do_anonymous_page calls that mapped a new page. */
  anonFaults: number;
  /** do_anonymous_page read faults that mapped the zero page. */
  zeroPageMaps: number;
  /** do_wp_page: a write to the zero page got a new zeroed page. */
  zeroPageCopies: number;
  /** shmem_fault calls that mapped a page of a shared anonymous mapping. */
  shmemFaults: number;
  /** Of those, faults that allocated the page (its first use in the object). */
  shmemPagesAllocated: number;
  /** do_wp_page: the page was reused (mapped once) / copied (COW). */
  wpReuses: number;
  wpCopies: number;
  /** Faults that found a migration entry and waited for the migration. */
  migrationWaits: number;
  /** User touches charged in bulk (runs of touches that changed nothing), and the runs. */
  bulkTouches: number;
  bulkRuns: number;
}

export interface MemoryOps {
  /** Fault-path counters (per kernel instance). */
  readonly stats: MemoryStats;
  /** mm/memory.c: handle_mm_fault. Returns VM_FAULT_* bits (0 = handled). */
  handleMmFault(k: Kernel, mm: MmStruct, vma: Vma, addr: number, flags: number): number;
  /** The user access path for UserApi.touch (MMU walk, faults, costs). */
  userTouch(k: Kernel, task: Task, addr: number, count: number, strideBytes: number, bytes: number, write: boolean, kind: number, budgetNs: number): number;
  userTouchList(k: Kernel, task: Task, addrs: Float64Array, from: number, to: number, bytes: number, write: boolean, kind: number, budgetNs: number): number;
  /** mm/memory.c: follow_page: the pfn mapped at addr, or -1 (-2 = would need a fault with these FOLL_ flags). */
  followPage(k: Kernel, vma: Vma, addr: number, foll: number): number;
  /**
   * copy_from_user / copy_to_user's access to [addr, addr + bytes) of mm: below TASK_SIZE, and
   * every page mapped readable (writable) as the MMU would fault it in. 0 or -EFAULT.
   */
  accessUser(k: Kernel, mm: MmStruct, addr: number, bytes: number, write: boolean): number;
  /** The shmem object whose id a shmem page's mapping holds (mm/shmem.c). */
  shmemById(id: number): ShmemObject;
  /** shmem_zero_setup: `vma` (MAP_SHARED|MAP_ANONYMOUS) maps a new shmem object from offset 0. */
  shmemZeroSetup(vma: Vma): void;
  /** A vma of a shmem object is gone; the last one releases the object and its pages. */
  shmemVmaGone(k: Kernel, vma: Vma): void;
  /** get_user_pages for one address: fault in as needed. Returns the pfn or -errno. */
  getUserPage(k: Kernel, mm: MmStruct, addr: number, foll: number): number;
  findVma(mm: MmStruct, addr: number): Vma | null;
  newMm(k: Kernel, owner: number): MmStruct;
  /**
   * mm/pgtable-generic.c: ptep_clear_flush: clear the pte at index `ptep` of vma's mm and flush it
   * (only if it was accessible, from step 06). Returns the old pte flags.
   */
  ptepClearFlush(k: Kernel, vma: Vma, addr: number, ptep: number): number;
  /** mm/mmap.c: mmap(2); `fd` and byte `offset` name the file of a mapping without MAP_ANONYMOUS. */
  mmap(k: Kernel, mm: MmStruct, addr: number, length: number, prot: number, flags: number, fd?: number, offset?: number): number;
  /**
   * tmpfs files (open, close, unlink, ftruncate on mm/shmem.c's inodes). A process's file table
   * goes with its mm: threads share it, fork copies it, the last exit closes it.
   */
  open(k: Kernel, mm: MmStruct, path: string, flags: number): number;
  close(k: Kernel, mm: MmStruct, fd: number): number;
  unlink(k: Kernel, path: string): number;
  ftruncate(k: Kernel, mm: MmStruct, fd: number, length: number): number;
  munmap(k: Kernel, mm: MmStruct, addr: number, length: number): number;
  /** mm/madvise.c */
  madvise(k: Kernel, mm: MmStruct, addr: number, length: number, advice: number): number;
  /** kernel/fork.c dup_mmap: copy the address space for fork (COW modelled as a copy of private anon pages on first write). */
  dupMm(k: Kernel, old: MmStruct, ownerTgid: number): MmStruct;
  /** Tear down an mm whose last user exited (exit_mmap). */
  exitMmap(k: Kernel, mm: MmStruct): void;
  /** Split a vma at addr (mm/mmap.c split_vma); returns the new upper vma. */
  splitVma(k: Kernel, vma: Vma, addr: number): Vma;
  /** Merge adjacent compatible vmas around [start,end) (vma_merge, simplified). */
  mergeVmas(k: Kernel, mm: MmStruct, start: number, end: number): void;
}

export interface HugeMemoryOps {
  /** /sys/kernel/mm/transparent_hugepage/enabled. */
  enabled: "always" | "madvise" | "never";
  /** Whether a THP may back this vma at fault time (transparent_hugepage_enabled(vma) and vma range check). */
  thpAllowed(k: Kernel, vma: Vma, addr: number): boolean;
  /** mm/huge_memory.c: do_huge_pmd_anonymous_page. Returns VM_FAULT_* (VM_FAULT_FALLBACK to use 4K pages). */
  doHugePmdAnonymousPage(k: Kernel, mm: MmStruct, vma: Vma, addr: number, pmdIdx: number, flags: number): number;
  /** split_huge_page: split the THP with head `pfn` into 512 ptes in every mm that maps it. Returns 0 or -errno. */
  splitHugePage(k: Kernel, pfn: number): number;
  /** split_huge_page_pmd: split the THP mapped by this pmd. */
  splitHugePagePmd(k: Kernel, vma: Vma, pmdIdx: number): void;
  /** change_huge_pmd: change protection of a whole huge pmd; returns 1 if handled. */
  changeHugePmd(k: Kernel, vma: Vma, pmdIdx: number, newFlags: number, protNuma: boolean): number;
  /** mm/huge_memory.c: do_huge_pmd_numa_page (step 16 on): a hinting fault on a numa huge pmd. Returns VM_FAULT_* bits. */
  doHugePmdNumaPage(k: Kernel, mm: MmStruct, vma: Vma, addr: number, pmdIdx: number): number;
  /** zap_huge_pmd (munmap/exit of a whole huge pmd). */
  zapHugePmd(k: Kernel, vma: Vma, pmdIdx: number): void;
}

export interface RmapOps {
  /** anon_vma_prepare: give the vma an anon_vma before its first anon page. */
  anonVmaPrepare(k: Kernel, vma: Vma): AnonVma;
  /** anon_vma_fork: the child's vma joins the parent's anon_vma tree. */
  anonVmaFork(k: Kernel, child: Vma, parent: Vma): void;
  /** unlink_anon_vmas: the vma is going away. */
  unlinkAnonVmas(k: Kernel, vma: Vma): void;
  /** page_add_new_anon_rmap / page_add_anon_rmap. */
  pageAddAnonRmap(k: Kernel, pfn: number, vma: Vma, addr: number, isNew: boolean): void;
  /** page_add_file_rmap: a shmem page gains a mapping. */
  pageAddFileRmap(k: Kernel, pfn: number): void;
  /** page_remove_rmap. */
  pageRemoveRmap(k: Kernel, pfn: number): void;
  /** try_to_unmap: unmap the page from every mm (replacing ptes by migration entries when `migration`). Returns true if fully unmapped. */
  tryToUnmap(k: Kernel, pfn: number, migration: boolean): boolean;
  /** remove_migration_ptes: point the migration entries for `oldPfn` at `newPfn`. */
  removeMigrationPtes(k: Kernel, oldPfn: number, newPfn: number): void;
  /** Visit every (vma, addr) mapping the page (rmap_walk). */
  rmapWalk(k: Kernel, pfn: number, visit: (vma: Vma, addr: number) => void): void;
}

export interface MigrateResult {
  succeeded: number;
  failed: number;
  /** Pages still -EAGAIN after the passes (in the return value, not counted as failed). */
  retry: number;
  /** -ENOMEM if an allocation aborted the run, else 0. */
  error: number;
}

export interface MigrateOps {
  /** isolate_lru_page: take the page off the LRU for migration. 0 or -EBUSY. */
  isolateLruPage(k: Kernel, pfn: number): number;
  putbackLruPage(k: Kernel, pfn: number): void;
  /** mm/migrate.c: putback_lru_pages: every page left on a migration list back to the LRU, out of NR_ISOLATED_ANON. */
  putbackLruPages(k: Kernel, pfns: readonly number[]): void;
  /** mm/migrate.c: migrate_pages over isolated pages, allocating each new page with getNewPage(oldPfn) (-1 = no memory). */
  migratePages(k: Kernel, pfns: number[], getNewPage: (oldPfn: number) => number, mode: number, reason: number): MigrateResult;
  /** move_pages(2) for task `target`. */
  sysMovePages(
    k: Kernel,
    caller: Task,
    pid: number,
    pages: UserArg<readonly number[]>,
    nodes: UserArg<readonly number[]> | null,
    status: UserArg<number[]>,
    flags: number,
  ): number;
  /**
   * mm/migrate.c: migrate_misplaced_page (step 20 on): migrate one page the caller holds a reference
   * on to `node`, dropping that reference (except the step-20 leak). Returns 1 if migrated, else 0.
   */
  migrateMisplacedPage(k: Kernel, pfn: number, node: number): number;
  /** mm/migrate.c: migrate_misplaced_transhuge_page (step 45 on). Returns 1 if migrated (or the pmd-changed race), else 0. */
  migrateMisplacedTranshugePage(k: Kernel, mm: MmStruct, vma: Vma, pmdIdx: number, addr: number, pfn: number, node: number): number;
  /** mm/migrate.c: migrate_ratelimited (step 35 on): is `node` saturated with misplaced-page migrations? */
  migrateRatelimited(k: Kernel, node: number): boolean;
}

export interface MempolicyOps {
  sysSetMempolicy(k: Kernel, task: Task, mode: number, nodemask: UserArg<Nodemask> | null, maxnode: number): number;
  sysGetMempolicy(k: Kernel, task: Task, out: GetMempolicyOut, maxnode: number, addr: number, flags: number): number;
  sysMbind(k: Kernel, task: Task, addr: number, length: number, mode: number, nodemask: UserArg<Nodemask> | null, maxnode: number, flags: number): number;
  /** mm/mempolicy.c: sys_migrate_pages (migrate_pages(2)). */
  sysMigratePages(k: Kernel, caller: Task, pid: number, maxnode: number, oldNodes: UserArg<Nodemask> | null, newNodes: UserArg<Nodemask> | null): number;
  /** get_vma_policy: the policy that governs addr in vma for task (never null: default_policy last). */
  getVmaPolicy(k: Kernel, task: Task, vma: Vma | null, addr: number): Mempolicy;
  /** alloc_pages_vma: allocate for a user fault following the policy. Returns pfn or -1. */
  allocPagesVma(k: Kernel, gfp: number, order: number, vma: Vma, addr: number): number;
  /** mpol_dup for fork / clone. */
  dupPolicy(pol: Mempolicy | null): Mempolicy | null;
  /** The "default" policy (local allocation). */
  readonly defaultPolicy: Mempolicy;
  /** mm/mempolicy.c: mpol_misplaced (step 19 on): the node the page should move to, or -1. */
  mpolMisplaced(k: Kernel, pfn: number, vma: Vma, addr: number): number;
  /** mm/mempolicy.c: change_prot_numa (step 23 on): mark [start,end) of vma for NUMA hinting faults; returns entries updated. */
  changeProtNuma(k: Kernel, vma: Vma, start: number, end: number): number;
  /** mm/mempolicy.c: numa_policy_init, run once at boot (preferred_node_policy from step 31, check_numabalancing_enable from step 42). */
  numaPolicyInit(k: Kernel): void;
  /** mm/mempolicy.c: setup_numabalancing, the `numa_balancing=` boot parameter handler (step 42 on). */
  setupNumabalancing(k: Kernel, value: string): void;
  /** mpol_to_str, as /proc/PID/numa_maps prints it. */
  mpolToStr(pol: Mempolicy | null): string;
  /** mm/mempolicy.c: mpol_rebind_task: the task's policy follows new cpuset mems. */
  mpolRebindTask(task: Task, mems: Nodemask): void;
  /** mm/mempolicy.c: mpol_rebind_mm: the mm's vma policies follow new cpuset mems. */
  mpolRebindMm(mm: MmStruct, mems: Nodemask): void;
}

export interface MprotectOps {
  /** mm/mprotect.c: change_protection over [start,end) of vma; returns the count (0 before the counting step). */
  changeProtection(k: Kernel, vma: Vma, start: number, end: number, newVmFlags: number, dirtyAccountable: boolean, protNuma: boolean): number;
  sysMprotect(k: Kernel, mm: MmStruct, addr: number, length: number, prot: number): number;
}

/** kernel/sched/fair.c tunables as a booted kernel has them (/proc/sys/kernel/sched_*); writable, read where used. */
export interface SchedTunables {
  /** sysctl_sched_latency: targeted preemption latency for CPU-bound tasks, ns (6 ms x (1 + log2 min(cpus, 8))). */
  latencyNs: number;
  /** sysctl_sched_min_granularity, ns (0.75 ms, scaled like latency). */
  minGranularityNs: number;
  /** sysctl_sched_wakeup_granularity, ns (1 ms, scaled like latency). */
  wakeupGranularityNs: number;
  /** sysctl_sched_migration_cost: a task that ran this recently is cache hot, ns (0.5 ms). */
  migrationCostNs: number;
  /** sysctl_sched_nr_migrate: tasks looked at per load-balance pass (32). */
  nrMigrate: number;
  /** sysctl_sched_child_runs_first (0). */
  childRunsFirst: number;
}

export interface SchedOps {
  /** The CFS tunables (sched_latency_ns, ...). */
  readonly tunables: SchedTunables;
  /** kernel/sched/core.c: __sched_fork, for a task being created (its NUMA scan state from step 26). */
  schedFork(k: Kernel, p: Task): void;
  /** sched_feat(): is a scheduler feature bit ("NUMA", "NUMA_FORCE", ...) set? False for bits this kernel lacks. */
  schedFeat(name: string): boolean;
  /** Write to debugfs sched_features ("NUMA", "NO_NUMA", ...); false if the name is unknown or the kernel lacks SCHED_DEBUG. */
  schedFeatSet(k: Kernel, cmd: string): boolean;
  /** The sched_features names this kernel has, as debugfs lists them. */
  schedFeatNames(): string[];
  /** kernel/sched/core.c: set_numabalancing_state (step 42 on). */
  setNumabalancingState(k: Kernel, enabled: boolean): void;
  /** kernel/sched/fair.c: task_numa_fault: account a hinting fault of `pages` pages on `node` to the current task. */
  taskNumaFault(k: Kernel, node: number, pages: number, migrated: boolean): void;
  /** kernel/sched/fair.c: task_numa_work, the queued task_work, run when `p` next returns to user space. */
  taskNumaWork(k: Kernel, p: Task): void;
  /** Put a new task on a run queue (wake_up_new_task with fork balancing). */
  wakeUpNewTask(k: Kernel, p: Task, parentCpu: number): void;
  /** try_to_wake_up. */
  wakeUp(k: Kernel, p: Task): void;
  /** The current task stops running (blocked or exited); pick the next. */
  dequeueCurrent(k: Kernel, cpu: number, sleeping: boolean): void;
  /** Choose what runs next on `cpu` (schedule()). Returns the task or null for idle. */
  pickNext(k: Kernel, cpu: number): Task | null;
  /** scheduler_tick on `cpu`: accounting, preemption, periodic load balancing. */
  schedulerTick(k: Kernel, cpu: number): void;
  /** Called when a CPU goes idle (idle balancing / newidle). */
  idleBalance(k: Kernel, cpu: number): void;
  /** Account ns of runtime to the current task of cpu (update_curr). */
  updateCurr(k: Kernel, cpu: number, ns: number): void;
  /** sched_setaffinity. */
  setCpusAllowed(k: Kernel, p: Task, mask: bigint): number;
  /** Tasks queued or running on `cpu`. */
  nrRunning(cpu: number): number;
  /** resched_task(rq->curr): the task running on `cpu` gives the CPU up at its next scheduling point. */
  reschedCurr(cpu: number): void;
}

/** TLB flush accounting kept by TlbOps (arch-x86-pgtable). */
export interface TlbStats {
  /** flush_tlb_page calls. */
  pageFlushes: number;
  /** flush_tlb_range calls. */
  rangeFlushes: number;
  /** Flushes done on the local CPU (one per flush call that reached it, invlpg or full). */
  localFlushes: number;
  /** Local flushes of a range that were done as a full TLB flush (range above the threshold). */
  fullFlushes: number;
  /** TLB-shootdown IPIs sent (one per target CPU per flush). */
  remoteIpis: number;
}

export interface TlbOps {
  /** Flush counters (per kernel instance). */
  readonly stats: TlbStats;
  /** flush_tlb_page: flush one address on every CPU running the mm (IPIs to the others). */
  flushTlbPage(k: Kernel, mm: MmStruct, addr: number): void;
  /** flush_tlb_range. */
  flushTlbRange(k: Kernel, mm: MmStruct, start: number, end: number): void;
  /** __flush_tlb_one: local CPU only. */
  flushTlbLocal(k: Kernel, addr: number): void;
  /** CPUs that currently run a task of this mm (mm_cpumask). */
  mmCpus(k: Kernel, mm: MmStruct): number[];
}

/** A factory for user programs by name, used by fork/clone in workloads. */
export type ProgramFactory = () => UserProgram;
