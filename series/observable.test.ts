/**
 * Each step's Observable claims (step.ts) and the PATCH.md line rendered from them. Whether the
 * claims hold is checked by running the steps: packages/cli/test/observable-*.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EVERY_METRIC, SERIES, checkedLine, moves, nothingOn, reviewRun, withCheckedLine } from "./index.js";
import type { Step } from "./step.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const patchMd = (s: Step) => join(here, `${String(s.number).padStart(2, "0")}-${s.key}`, "PATCH.md");

const step = (observable: Step["observable"]): Step => ({ ...SERIES[39], observable });

describe("Observable claims", () => {
  it("every step claims something, says when it shows, and claims 'every metric' only unchanged", () => {
    for (const s of SERIES) {
      expect(s.observable.claims.length, `step ${s.number}`).toBeGreaterThan(0);
      expect(s.observable.when.length, `step ${s.number}`).toBeGreaterThan(10);
      for (const c of s.observable.claims) if (c.metric === EVERY_METRIC) expect(c.direction, `step ${s.number}`).toBe("unchanged");
    }
  });

  it("every PATCH.md has the line generated from its claims right under its Observable line (run 'pnpm upstream-sections' after editing step.ts)", () => {
    for (const s of SERIES) {
      const md = readFileSync(patchMd(s), "utf8");
      expect(withCheckedLine(md, s), `step ${s.number}: run 'pnpm upstream-sections'`).toBe(md);
      const lines = md.split("\n");
      expect(lines[lines.indexOf(checkedLine(s)) - 1], `step ${s.number}`).toMatch(/^Observable/);
    }
  });

  it("the line groups the claims by run and names the steps compared, the machine, duration, THP mode and when they show", () => {
    const numa01 = { workload: "numa01", topology: "default", seconds: 2, thp: "never" } as const;
    const s = step({
      claims: [...moves(numa01, { numa_pages_migrated: "down", pgmigrate_success: "down" }), nothingOn(reviewRun("remote-memory"))],
      when: "for shared pages",
    });
    expect(checkedLine(s)).toBe(
      "Checked on runs (step 39 -> 40, seed 1): numa01 (machine default, 2 s, THP never): `numa_pages_migrated` down, `pgmigrate_success` down; " +
        "remote-memory (machine default, 4 s, THP always): every metric unchanged. When: for shared pages.",
    );
  });

  it("withCheckedLine replaces an old line rather than adding a second, and refuses a PATCH.md without an Observable line", () => {
    const s = step({ claims: [nothingOn(reviewRun("numa02"))], when: "never." });
    const md = "# x\n\nObservable: nothing.\nChecked on runs (step 1 -> 2): stale.\n\n## Tests\n";
    expect(withCheckedLine(md, s)).toBe(`# x\n\nObservable: nothing.\n${checkedLine(s)}\n\n## Tests\n`);
    expect(() => withCheckedLine("# x\n", s)).toThrow(/no "Observable" line/);
  });
});
