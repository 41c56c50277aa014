/** Constants with the kernel's names and values (x86-64, Linux 3.7/3.8). */

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PMD_SHIFT = 21;
export const PMD_SIZE = 1 << PMD_SHIFT;
export const PTRS_PER_PTE = 512;
export const HPAGE_PMD_ORDER = PMD_SHIFT - PAGE_SHIFT;
export const HPAGE_PMD_NR = 1 << HPAGE_PMD_ORDER;
/** @alias of PMD_SIZE, as x86 defines it (huge pages are pmd-sized). */
export const HPAGE_SIZE = PMD_SIZE;

/** CONFIG_HZ: the tick rate of the simulated kernel (a 2012 distro server kernel). */
export const HZ = 250;
export const NSEC_PER_SEC = 1_000_000_000;
export const NSEC_PER_MSEC = 1_000_000;
export const TICK_NSEC = NSEC_PER_SEC / HZ;
/** include/linux/jiffies.h: msecs_to_jiffies (rounds up). */
export const msecsToJiffies = (ms: number): number => Math.ceil((ms * HZ) / 1000);
export const jiffiesToMsecs = (j: number): number => (j * 1000) / HZ;

/** Lowest user address handed out by mmap; user addresses are kept below USER_BASE + USER_SPAN. */
export const USER_BASE = 0x7f0000000000;
export const USER_SPAN = 2 ** 44;

/** errno values (include/uapi/asm-generic/errno-base.h). Syscalls return -errno. */
export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EIO = 5;
export const E2BIG = 7;
export const EBADF = 9;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const EISDIR = 21;
export const EMFILE = 24;
export const EFBIG = 27;
export const ENOSPC = 28;
export const ENAMETOOLONG = 36;
export const ENOSYS = 38;
export const ERRNO_NAMES: Record<number, string> = {
  [EPERM]: "EPERM",
  [ENOENT]: "ENOENT",
  [ESRCH]: "ESRCH",
  [EIO]: "EIO",
  [E2BIG]: "E2BIG",
  [EBADF]: "EBADF",
  [EAGAIN]: "EAGAIN",
  [ENOMEM]: "ENOMEM",
  [EACCES]: "EACCES",
  [EFAULT]: "EFAULT",
  [EBUSY]: "EBUSY",
  [EEXIST]: "EEXIST",
  [ENODEV]: "ENODEV",
  [EINVAL]: "EINVAL",
  [ENOSPC]: "ENOSPC",
  [ENOSYS]: "ENOSYS",
  [EISDIR]: "EISDIR",
  [EMFILE]: "EMFILE",
  [EFBIG]: "EFBIG",
  [ENAMETOOLONG]: "ENAMETOOLONG",
};

/** mmap/mprotect protections and flags (include/uapi/asm-generic/mman-common.h). */
export const PROT_NONE = 0x0;
export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const PROT_EXEC = 0x4;
/** System V semaphores may live here (x86 arch_validate_prot accepts it; no effect in the model). */
export const PROT_SEM = 0x8;
/** mprotect: extend the change to the start of a growsdown vma / the end of a growsup vma. */
export const PROT_GROWSDOWN = 0x01000000;
export const PROT_GROWSUP = 0x02000000;
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_POPULATE = 0x8000;

/** open(2) flags (include/uapi/asm-generic/fcntl.h): the access mode and the ones tmpfs files use. */
export const O_ACCMODE = 0o3;
export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;

/** madvise advice values. */
export const MADV_NORMAL = 0;
export const MADV_DONTNEED = 4;
export const MADV_HUGEPAGE = 14;
export const MADV_NOHUGEPAGE = 15;

/** vma->vm_flags (include/linux/mm.h). */
export const VM_READ = 0x1;
export const VM_WRITE = 0x2;
export const VM_EXEC = 0x4;
export const VM_SHARED = 0x8;
export const VM_MAYREAD = 0x10;
export const VM_MAYWRITE = 0x20;
export const VM_MAYEXEC = 0x40;
export const VM_GROWSDOWN = 0x100;
/** VM_GROWSUP is VM_NONE on x86 (only CONFIG_STACK_GROWSUP architectures have it). */
export const VM_GROWSUP = 0x0;
export const VM_PFNMAP = 0x400;
export const VM_LOCKED = 0x2000;
export const VM_IO = 0x4000;
export const VM_HUGETLB = 0x400000;
export const VM_NOHUGEPAGE = 0x40000000;
export const VM_HUGEPAGE = 0x20000000;

/** handle_mm_fault flags and results. */
export const FAULT_FLAG_WRITE = 0x01;
export const FAULT_FLAG_ALLOW_RETRY = 0x08;
export const FAULT_FLAG_USER = 0x100; // a simulator-only marker: the fault came from user space
export const VM_FAULT_OOM = 0x0001;
export const VM_FAULT_SIGBUS = 0x0002;
export const VM_FAULT_MAJOR = 0x0004;
export const VM_FAULT_WRITE = 0x0008;
export const VM_FAULT_SIGSEGV = 0x0040;
export const VM_FAULT_RETRY = 0x0400;
export const VM_FAULT_FALLBACK = 0x0800;
export const VM_FAULT_ERROR = VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV;

/** follow_page / get_user_pages flags (include/linux/mm.h). */
export const FOLL_WRITE = 0x01;
export const FOLL_TOUCH = 0x02;
export const FOLL_GET = 0x04;
export const FOLL_DUMP = 0x08;
export const FOLL_FORCE = 0x10;
export const FOLL_NOWAIT = 0x20;
export const FOLL_MLOCK = 0x40;
export const FOLL_SPLIT = 0x80;
export const FOLL_HWPOISON = 0x100;
export const FOLL_NUMA = 0x200;

/** gfp flags (include/linux/gfp.h, 3.7 bit values). */
export const __GFP_DMA = 0x01;
export const __GFP_HIGHMEM = 0x02;
export const __GFP_DMA32 = 0x04;
export const __GFP_MOVABLE = 0x08;
export const __GFP_WAIT = 0x10;
export const __GFP_HIGH = 0x20;
export const __GFP_IO = 0x40;
export const __GFP_FS = 0x80;
export const __GFP_COLD = 0x100;
export const __GFP_NOWARN = 0x200;
export const __GFP_REPEAT = 0x400;
export const __GFP_NOFAIL = 0x800;
export const __GFP_NORETRY = 0x1000;
export const __GFP_COMP = 0x4000;
export const __GFP_ZERO = 0x8000;
export const __GFP_NOMEMALLOC = 0x10000;
export const __GFP_HARDWALL = 0x20000;
export const __GFP_THISNODE = 0x40000;
export const __GFP_NO_KSWAPD = 0x400000;
export const GFP_KERNEL = __GFP_WAIT | __GFP_IO | __GFP_FS;
export const GFP_USER = __GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL;
export const GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM;
export const GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | __GFP_MOVABLE;
export const GFP_THISNODE = __GFP_THISNODE | __GFP_NOWARN | __GFP_NORETRY;
export const GFP_IOFS = __GFP_IO | __GFP_FS;
export const GFP_TRANSHUGE = GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN | __GFP_NO_KSWAPD;

/** Memory policy modes (include/uapi/linux/mempolicy.h). MPOL_MAX depends on the step (see Features). */
export const MPOL_DEFAULT = 0;
export const MPOL_PREFERRED = 1;
export const MPOL_BIND = 2;
export const MPOL_INTERLEAVE = 3;
export const MPOL_LOCAL = 4;
/** set_mempolicy mode flags. */
export const MPOL_F_STATIC_NODES = 1 << 15;
export const MPOL_F_RELATIVE_NODES = 1 << 14;
export const MPOL_MODE_FLAGS = MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES;
/** get_mempolicy flags. */
export const MPOL_F_NODE = 1 << 0;
export const MPOL_F_ADDR = 1 << 1;
export const MPOL_F_MEMS_ALLOWED = 1 << 2;
/** mbind flags. */
export const MPOL_MF_STRICT = 1 << 0;
export const MPOL_MF_MOVE = 1 << 1;
export const MPOL_MF_MOVE_ALL = 1 << 2;
/** Internal policy flags (struct mempolicy.flags). */
export const MPOL_F_SHARED = 1 << 0;
export const MPOL_F_LOCAL = 1 << 1;
export const MPOL_F_REBINDING = 1 << 2;

/** migrate_mode (include/linux/migrate_mode.h). */
export const MIGRATE_ASYNC = 0;
export const MIGRATE_SYNC_LIGHT = 1;
export const MIGRATE_SYNC = 2;
export const MIGRATE_MODE_NAMES = ["MIGRATE_ASYNC", "MIGRATE_SYNC_LIGHT", "MIGRATE_SYNC"] as const;

/** Maximum node count the syscalls accept (CONFIG_NODES_SHIFT=10 as distro x86-64 kernels). */
export const MAX_NUMNODES = 1024;
/** Highest nodemask bits a user buffer is checked against (BITS_PER_LONG * pages of nodemask), see get_nodes(). */
export const BITS_PER_LONG = 64;

/** mm->first_nid states (include/linux/mm_types.h, step 44). */
export const NUMA_PTE_SCAN_INIT = -1;
export const NUMA_PTE_SCAN_ACTIVE = -2;
/** Internal policy flags added by the series: migrate on fault (step 19), migrate on reference (step 31). */
export const MPOL_F_MOF = 1 << 3;
export const MPOL_F_MORON = 1 << 4;
/** MPOL_NOOP (steps 18-24 only) and MPOL_MF_LAZY (step 23 on; hidden from user space from step 25). */
export const MPOL_NOOP = 5;
export const MPOL_MF_LAZY = 1 << 3;
