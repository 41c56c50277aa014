import { describe, expect, it } from "vitest";
import { parseWorkloadFile, runWorkload } from "@balancenuma/workloads";
import { resultsCsv } from "./csv.js";
import type { Result } from "../commands/sweep/store.js";

const spec = await parseWorkloadFile("name: think\nprocesses:\n  - name: think\n    main:\n      - compute: 0.1\n", "think.yaml");
const cell = (step: number): Result => ({
  step,
  workload: "think",
  machine: "small",
  seed: 1,
  args: { thp: "always" },
  report: runWorkload({ spec, topology: "nodes=2,cpus=2,mem=128M", step }).report,
});

describe("results.csv", () => {
  it("leaves n/a empty and writes 'absent' for a counter the step's kernel lacks, apart from a counted 0", () => {
    const [head, at0, at30] = resultsCsv([cell(0), cell(30)])
      .trim()
      .split("\n")
      .map((l) => l.split(","));
    const col = (name: string) => head.indexOf(name);
    // A process that only computes: no touches, so no local share.
    expect(at0[col("local_percent")]).toBe("");
    expect(at0[col("numa_pages_migrated")]).toBe("absent");
    expect(at30[col("numa_pages_migrated")]).toBe("0");
    expect(at30[col("numa_hint_local_percent")]).toBe("");
    expect(Number(at0[col("elapsed")])).toBeGreaterThan(0);
  });
});
