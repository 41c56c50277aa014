import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BASELINE_FEATURES, type Features } from "@balancenuma/include-linux";
import { SERIES, featuresAtStep, findStep } from "./index.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..");
const quilt = readFileSync(join(here, "series"), "utf8")
  .split("\n")
  .filter((l) => l && !l.startsWith("#"));

/** ../shared/series.tsv, the authoritative list (beside the checkout, as on CI and the developers' machines). */
const tsvPath = join(root, "..", "shared", "series.tsv");

/** Gates no step sets: build options a user chooses. */
const BUILD_OPTIONS = new Set<keyof Features>(["CONFIG_SCHED_DEBUG"]);

/**
 * The source a step's patch can have touched in `pkg`: the package, plus include-linux (the
 * include/linux headers every patch may change), plus mm-page-alloc for mm-memory (page_alloc.c is
 * mm core like memory.c; the model keeps the allocator in a package of its own).
 */
function sourceOf(pkg: string): string {
  const dirs = [pkg, "include-linux", ...(pkg === "mm-memory" ? ["mm-page-alloc"] : [])];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".ts") && !p.endsWith(".test.ts")) out.push(readFileSync(p, "utf8"));
    }
  };
  for (const d of dirs) walk(join(root, "packages", d, "src"));
  return out.join("\n");
}

describe("the series", () => {
  it("series/series, the step folders and the step modules agree, in order", () => {
    expect(quilt).toHaveLength(49);
    expect(SERIES.map((s) => `${String(s.number).padStart(2, "0")}-${s.key}`)).toEqual(quilt);
    expect(SERIES.map((s) => s.number)).toEqual(Array.from({ length: 49 }, (_, i) => i + 1));
    const folders = readdirSync(here)
      .filter((d) => /^\d\d-/.test(d))
      .sort();
    expect(folders).toEqual(quilt);
    for (const f of quilt) for (const file of ["step.ts", "PATCH.md", "delta.test.ts"]) expect(existsSync(join(here, f, file)), `${f}/${file}`).toBe(true);
  });

  it.runIf(existsSync(tsvPath))("matches shared/series.tsv: number, key, title, author, v10 patch, subsystems", () => {
    const [, ...rows] = readFileSync(tsvPath, "utf8").trim().split("\n");
    expect(rows).toHaveLength(SERIES.length);
    rows.forEach((row, i) => {
      const [step, key, title, author, v10, subsystems] = row.split("\t");
      const s = SERIES[i];
      expect({ number: s.number, key: s.key, title: s.title, author: s.author, v10: s.v10, subsystems: s.subsystems.join(",") }).toEqual({
        number: Number(step),
        key,
        title,
        author,
        v10,
        subsystems,
      });
    });
  });

  it("a kernel at step N is exactly steps 1..N applied", () => {
    expect(featuresAtStep(0)).toEqual(BASELINE_FEATURES);
    for (let n = 1; n <= SERIES.length; n++) {
      const f = featuresAtStep(n - 1);
      SERIES[n - 1].apply(f);
      expect(featuresAtStep(n)).toEqual(f);
    }
    expect(() => featuresAtStep(50)).toThrow(/step must be 0..49/);
    expect(findStep("fault-driven-placement")).toBe(26);
    expect(findStep("50")).toBeUndefined();
  });

  it("every step changes at least one gate, and every gate is set by a step and read by a package that step names", () => {
    const setters = new Map<string, number[]>();
    for (let n = 1; n <= SERIES.length; n++) {
      const before = featuresAtStep(n - 1);
      const after = featuresAtStep(n);
      const changed = (Object.keys(after) as (keyof Features)[]).filter((g) => after[g] !== before[g]);
      expect(changed.length, `step ${n} ${SERIES[n - 1].key} changes no gate`).toBeGreaterThan(0);
      for (const g of changed) setters.set(g, [...(setters.get(g) ?? []), n]);
    }
    const sources = new Map<string, string>();
    const source = (pkg: string) => sources.get(pkg) ?? (sources.set(pkg, sourceOf(pkg)), sources.get(pkg)!);
    for (const gate of Object.keys(BASELINE_FEATURES) as (keyof Features)[]) {
      if (BUILD_OPTIONS.has(gate)) continue;
      const steps = setters.get(gate);
      expect(steps, `gate ${gate} is set by no step`).toBeDefined();
      const pkgs = [...new Set(steps!.flatMap((n) => SERIES[n - 1].subsystems))];
      const readers = pkgs.filter((p) => new RegExp(`features\\.${gate}\\b|\\b${gate}\\b\\s*[!=]==|\\.${gate}\\b`).test(source(p)));
      expect(readers, `gate ${gate} (steps ${steps!.join(", ")}) is read by none of ${pkgs.join(", ")}`).not.toHaveLength(0);
    }
  });
});
