import { closeSync, lstatSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UsageError } from "./errors.js";

/** Text is written in chunks of this size, so a streamed file never holds more than one in memory. */
const CHUNK_BYTES = 1 << 20;

const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/**
 * An output file, opened before the work that fills it so that a bad path fails at once, not after
 * a long run. A regular file (or a new one, or a symlink to a regular file) is written whole or not
 * at all: into a temp file beside it, renamed over it on commit, so a symlink stays a symlink. Any
 * other file (/dev/stdout, a FIFO, a terminal) cannot be replaced by a rename: it is written through.
 */
export class OutputFile {
  private readonly fd: number;
  /** The temp file renamed onto `target` on commit (regular files only). */
  private readonly tmp?: string;
  private readonly target: string;
  private pending: string[] = [];
  private pendingBytes = 0;

  private readonly what: string;

  /** `flag` names the file in messages, e.g. "--trace". */
  constructor(
    private readonly path: string,
    flag?: string,
  ) {
    const what = (this.what = flag === undefined ? "" : `${flag}: `);
    const fail = (why: string) => new UsageError(`${what}cannot write '${path}': ${why}`);
    const kind = fileKind(path);
    if (kind === "directory") throw new UsageError(`${what}'${path}' is a directory; give a file name`);
    this.target = kind === "regular" ? realpathSync(path) : path;
    if (kind === "regular" || kind === "absent") {
      const dir = dirname(this.target);
      if (kind === "absent" && fileKind(dir) !== "directory")
        throw new UsageError(`${what}directory '${dirname(path)}' ${fileKind(dir) === "absent" ? "does not exist" : "is not a directory"}`);
      this.tmp = join(dir, `.${basename(this.target)}.${process.pid}.tmp`);
    }
    try {
      this.fd = openSync(this.tmp ?? this.target, "w");
    } catch (e) {
      throw fail(errCode(e));
    }
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes >= CHUNK_BYTES) this.flush();
  }

  /** Finish the file: flush it, close it and (regular files) move it into place. */
  commit(): void {
    try {
      this.flush();
      closeSync(this.fd);
      if (this.tmp) renameSync(this.tmp, this.target);
    } catch (e) {
      if (this.tmp) rmSync(this.tmp, { force: true });
      throw e instanceof UsageError ? e : new UsageError(`${this.what}cannot write '${this.path}': ${errCode(e)}`);
    }
  }

  /** Give up: the target is left as it was (a regular file) and the temp file removed. */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // Already closed by a failed commit.
    }
    if (this.tmp) rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    const buf = Buffer.from(this.pending.join(""));
    this.pending = [];
    this.pendingBytes = 0;
    try {
      for (let off = 0; off < buf.length; ) off += writeSync(this.fd, buf, off);
    } catch (e) {
      throw new UsageError(`${this.what}cannot write '${this.path}': ${errCode(e)}`);
    }
  }
}

/** What `path` is, following symlinks: a regular file, a directory, something else, or nothing yet (a dangling symlink is written through). */
function fileKind(path: string): "regular" | "directory" | "other" | "absent" {
  try {
    lstatSync(path);
  } catch {
    return "absent";
  }
  try {
    const st = statSync(path);
    return st.isFile() ? "regular" : st.isDirectory() ? "directory" : "other";
  } catch {
    return "other";
  }
}

/** Write a whole file or nothing (see OutputFile). */
export function writeFileAtomic(path: string, text: string, flag?: string): void {
  const f = new OutputFile(path, flag);
  try {
    f.write(text);
    f.commit();
  } catch (e) {
    f.abort();
    throw e;
  }
}
