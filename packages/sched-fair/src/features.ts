/**
 * kernel/sched/features.h and the sched_features debugfs file (kernel/sched/core.c). The model's CFS
 * reads none of 3.7's own bits (they are listed so debugfs shows and accepts what a 3.7 kernel
 * has); NUMA (step 26) and NUMA_FORCE (step 44) are read by the NUMA scanner.
 */
import type { Features } from "@balancenuma/include-linux";

/** 3.7's SCHED_FEAT() entries with their defaults, in features.h order. */
const SCHED_FEAT_3_7: readonly (readonly [string, boolean])[] = [
  ["GENTLE_FAIR_SLEEPERS", true],
  ["START_DEBIT", true],
  ["NEXT_BUDDY", false],
  ["LAST_BUDDY", true],
  ["CACHE_HOT_BUDDY", true],
  ["WAKEUP_PREEMPTION", true],
  ["ARCH_POWER", true],
  ["HRTICK", false],
  ["DOUBLE_TICK", false],
  ["LB_BIAS", true],
  ["NONTASK_POWER", true],
  ["TTWU_QUEUE", true],
  ["FORCE_SD_OVERLAP", false],
  ["RT_RUNTIME_SHARE", true],
  ["LB_MIN", false],
];

/**
 * sysctl_sched_features of one kernel. With CONFIG_SCHED_DEBUG it is writable through debugfs;
 * without, it is a const holding the defaults (so NUMA keeps its compiled default for good).
 */
export class SchedFeatures {
  private readonly names: string[] = [];
  private readonly bits: boolean[] = [];
  /** Whether debugfs sched_features exists (CONFIG_SCHED_DEBUG). */
  readonly writable: boolean;
  /** sched_feat_numa(NUMA) and sched_feat_numa(NUMA_FORCE), cached for the tick path. */
  numa = false;
  numaForce = false;

  constructor(f: Readonly<Features>) {
    this.writable = f.CONFIG_SCHED_DEBUG;
    for (const [name, def] of SCHED_FEAT_3_7) this.add(name, def);
    // features.h: under CONFIG_NUMA_BALANCING. NUMA arrives with the scanner (step 26), defaulting
    // on until step 42 turns it off (boot enables it on NUMA machines); NUMA_FORCE with step 44.
    if (f.CONFIG_NUMA_BALANCING && f.numaScanner !== "none") this.add("NUMA", f.schedFeatNumaDefault);
    if (f.CONFIG_NUMA_BALANCING && f.delayScanUntilNewNode) this.add("NUMA_FORCE", false);
    this.refresh();
  }

  private add(name: string, def: boolean): void {
    this.names.push(name);
    this.bits.push(def);
  }

  private refresh(): void {
    this.numa = this.get("NUMA");
    this.numaForce = this.get("NUMA_FORCE");
  }

  /** sched_feat(x); false for a bit this kernel does not have. */
  get(name: string): boolean {
    const i = this.names.indexOf(name);
    return i >= 0 && this.bits[i];
  }

  /**
   * kernel/sched/core.c: sched_feat_set: "NAME" sets, "NO_NAME" clears. Returns false for an
   * unknown name (sched_feat_write's -EINVAL) or when the mask is const (!CONFIG_SCHED_DEBUG).
   */
  set(cmd: string): boolean {
    if (!this.writable) return false;
    let name = cmd.trim();
    const neg = name.startsWith("NO_");
    if (neg) name = name.slice(3);
    const i = this.names.indexOf(name);
    if (i < 0) return false;
    this.bits[i] = !neg;
    this.refresh();
    return true;
  }

  /** The bits this kernel has, in features.h order. */
  list(): string[] {
    return [...this.names];
  }

  /** sched_feat_show: each name, prefixed "NO_" when clear. */
  show(): string {
    return this.names.map((n, i) => (this.bits[i] ? n : `NO_${n}`)).join(" ");
  }
}
