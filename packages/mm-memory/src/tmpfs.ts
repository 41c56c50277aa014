/**
 * tmpfs files: open(2), close(2), unlink(2) and ftruncate(2) on mm/shmem.c's inodes, the
 * ShmemObjects of a kernel. The model's file system is two tmpfs directories, /dev/shm and /tmp;
 * no other path exists. A process's file table goes with its mm (threads share both, fork copies
 * both, the last exit closes the files). Files are not permission-checked (every task may open
 * every file), and directories cannot be opened (-EISDIR, also for O_RDONLY, which Linux allows).
 * An inode lives while it is named, mapped or open.
 */
import {
  EBADF,
  EEXIST,
  EFAULT,
  EINVAL,
  EISDIR,
  EMFILE,
  ENAMETOOLONG,
  ENOENT,
  O_ACCMODE,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  PAGE_SIZE,
  type Kernel,
  type MmStruct,
  type ShmemFile,
  type ShmemObject,
} from "@balancenuma/include-linux";
import { zapPageRange } from "./memory.js";
import { dropCachePage, type ShmemObjects } from "./shmem.js";

/** The tmpfs mounts of the model. */
const TMPFS_DIRS = ["/dev/shm", "/tmp"];
/** include/uapi/linux/limits.h */
const PATH_MAX = 4096;
const NAME_MAX = 255;
/** RLIMIT_NOFILE's default soft limit: descriptors 0 .. 1023. */
const NR_OPEN_DEFAULT = 1024;
/** Descriptors 0-2 are the standard streams (not modelled): open hands out 3 and up. */
const FIRST_FD = 3;

/** A path resolved in the model's tree: a tmpfs file name, a tmpfs directory, or -errno. */
type Lookup = { file: string } | { dir: string } | number;

/** path_lookupat, for the model's tree: the kernel reads the path up to its NUL. */
function lookup(path: unknown): Lookup {
  if (typeof path !== "string") return -EFAULT;
  const p = path.split("\0")[0];
  if (p.length === 0) return -ENOENT;
  if (p.length >= PATH_MAX) return -ENAMETOOLONG;
  const parts = p.split("/").filter((c) => c !== "" && c !== ".");
  if (!p.startsWith("/") || parts.some((c) => c === "..")) return -ENOENT;
  if (parts.some((c) => c.length > NAME_MAX)) return -ENAMETOOLONG;
  const full = "/" + parts.join("/");
  if (TMPFS_DIRS.includes(full) || TMPFS_DIRS.some((d) => d.startsWith(full + "/")) || full === "/") return { dir: full };
  const dir = full.slice(0, full.lastIndexOf("/"));
  return TMPFS_DIRS.includes(dir) ? { file: full } : -ENOENT;
}

/** The tmpfs files of one kernel and the file tables of its processes. */
export class Tmpfs {
  private readonly tables = new Map<MmStruct, Map<number, ShmemFile>>();

  constructor(private readonly objects: ShmemObjects) {}

  /** fget: the open file behind `fd` in mm's table, or null. */
  file(mm: MmStruct, fd: number): ShmemFile | null {
    return this.tables.get(mm)?.get(fd) ?? null;
  }

  /** do_sys_open: the lowest free descriptor for the path, created with O_CREAT. */
  open(k: Kernel, mm: MmStruct, path: string, flags: number): number {
    const at = lookup(path);
    if (typeof at === "number") return at;
    // Linux lets a directory be opened read-only (for getdents); the model has no use for that.
    if ("dir" in at) return -EISDIR;
    let obj = this.objects.byPath.get(at.file);
    if (obj && flags & O_CREAT && flags & O_EXCL) return -EEXIST;
    if (!obj && !(flags & O_CREAT)) return -ENOENT;
    const table = this.tables.get(mm) ?? new Map<number, ShmemFile>();
    let fd = FIRST_FD;
    while (table.has(fd)) fd++;
    if (fd >= NR_OPEN_DEFAULT) return -EMFILE;
    obj ??= this.objects.create(at.file, 0, true);
    // OPEN_FMODE: access mode 3 opens for neither reading nor writing.
    const acc = flags & O_ACCMODE;
    table.set(fd, { obj, readable: acc === O_RDONLY || acc === O_RDWR, writable: acc === O_WRONLY || acc === O_RDWR });
    this.tables.set(mm, table);
    obj.opens++;
    if (flags & O_TRUNC) truncate(k, obj, 0);
    return fd;
  }

  /** close(2): the descriptor goes; the last reference to an unlinked, unmapped inode frees it. */
  close(k: Kernel, mm: MmStruct, fd: number): number {
    const table = this.tables.get(mm);
    const f = table?.get(fd);
    if (!table || !f) return -EBADF;
    table.delete(fd);
    f.obj.opens--;
    this.objects.release(k, f.obj);
    return 0;
  }

  /** unlink(2): the name goes; the inode stays while it is open or mapped. */
  unlink(k: Kernel, path: string): number {
    const at = lookup(path);
    if (typeof at === "number") return at;
    if ("dir" in at) return -EISDIR;
    const obj = this.objects.byPath.get(at.file);
    if (!obj) return -ENOENT;
    this.objects.byPath.delete(at.file);
    obj.linked = false;
    this.objects.release(k, obj);
    return 0;
  }

  /** do_sys_ftruncate: a negative length is -EINVAL before the descriptor is looked at. */
  ftruncate(k: Kernel, mm: MmStruct, fd: number, length: number): number {
    if (length < 0) return -EINVAL;
    const f = this.file(mm, fd);
    if (!f) return -EBADF;
    if (!f.writable) return -EINVAL;
    truncate(k, f.obj, length);
    return 0;
  }

  /** dup_fd for fork: the child's table refers to the same open files. */
  dupFiles(old: MmStruct, mm: MmStruct): void {
    const table = this.tables.get(old);
    if (!table) return;
    for (const f of table.values()) f.obj.opens++;
    this.tables.set(mm, new Map(table));
  }

  /** exit_files: the process's last task is gone; every descriptor is closed. */
  exitFiles(k: Kernel, mm: MmStruct): void {
    for (const fd of [...(this.tables.get(mm)?.keys() ?? [])]) this.close(k, mm, fd);
    this.tables.delete(mm);
  }
}

/**
 * shmem_setattr's size change. Shrinking is truncate_pagecache: every mapping of the dropped
 * range is unmapped (private copies too), then the pages past the new end leave the page cache.
 */
function truncate(k: Kernel, obj: ShmemObject, size: number): void {
  const first = Math.ceil(size / PAGE_SIZE);
  obj.size = size;
  for (const mm of obj.mms)
    for (const vma of mm.vmas) {
      if (vma.shm !== obj) continue;
      const start = Math.max(vma.start, vma.start + (first - vma.pgoff) * PAGE_SIZE);
      if (start < vma.end) zapPageRange(k, vma, start, vma.end);
    }
  for (const [off, pfn] of obj.pages)
    if (off >= first) {
      obj.pages.delete(off);
      dropCachePage(k, pfn);
    }
}
