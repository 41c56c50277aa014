import type { SysctlTable } from "@balancenuma/include-linux";

/** One /proc/sys entry: its default and the range proc_dointvec(_minmax) accepts. */
export interface SysctlDef {
  readonly name: string;
  readonly defaultValue: number;
  readonly min: number;
  readonly max: number;
  readonly doc: string;
}

/** The sysctl table of a booted kernel: the entries its step has, with values set at boot. */
export class Sysctls implements SysctlTable {
  private readonly values = new Map<string, number>();
  private readonly defs = new Map<string, SysctlDef>();

  constructor(defs: readonly SysctlDef[]) {
    for (const d of defs) {
      this.defs.set(d.name, d);
      this.values.set(d.name, d.defaultValue);
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  get(name: string): number {
    const v = this.values.get(name);
    if (v === undefined) throw new Error(`sysctl ${name} does not exist in this kernel`);
    return v;
  }

  /** Write a value as `sysctl -w` would; throws SysctlError naming the problem. */
  set(name: string, value: number): void {
    const d = this.defs.get(name);
    if (!d) throw new SysctlError(`unknown sysctl '${name}'; this kernel has: ${[...this.defs.keys()].sort().join(", ") || "none"}`);
    if (!Number.isInteger(value) || value < d.min || value > d.max)
      throw new SysctlError(`sysctl ${name} takes a whole number from ${d.min} to ${d.max}, got ${value}`);
    this.values.set(name, value);
  }

  entries(): [string, number][] {
    return [...this.values.entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  definitions(): SysctlDef[] {
    return [...this.defs.values()];
  }
}

export class SysctlError extends Error {
  override name = "SysctlError";
}
